package io.gpumarket.rental.api;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.offer.OfferIds;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.rental.RentalEvent.StartRequested;
import io.gpumarket.events.rental.RentalEvent.StopRequested;
import io.gpumarket.events.rental.RentalEvent.TerminationRequested;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.rental.projection.AccountSshKeyRow;
import io.gpumarket.rental.projection.InstanceRow;
import io.gpumarket.rental.projection.NoticeRow;
import io.gpumarket.rental.projection.OfferRefRow;
import io.gpumarket.rental.projection.RentableMachineRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /api/v1/instances}: a client rents from an offer ({@code RentalRequested} on
 * {@code gpumarket.rentals}, keyed by the account, decided by the account's single writer; the
 * call waits briefly for the decision: 202 {@code creating} once GPUs are allocated, 409 with the
 * reason when refused), lists and shows its instances, and terminates one
 * ({@code TerminationRequested}, keyed by the machine). Another account's instance is 404.
 */
@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InstancesResource {
    static final int MAX_ENV_BYTES = 32 * 1024;

    private final EventPublisher publisher;
    private final Callers callers;
    private final Clock clock;
    private final Duration decisionWait;

    public InstancesResource(EventPublisher publisher, Callers callers, Clock clock,
            @ConfigProperty(name = "gpumarket.rental.decision-wait") Duration decisionWait) {
        this.publisher = publisher;
        this.callers = callers;
        this.clock = clock;
        this.decisionWait = decisionWait;
    }

    public record NewInstance(
            @NotBlank @Size(max = 100) String offerId,
            @NotBlank @Size(max = 512) String image,
            @NotNull @Min(8) @Max(1_000_000) Integer diskGb,
            @Size(max = 100) String sshKeyId,
            @NotNull @Pattern(regexp = "ssh|jupyter|args", message = "must be ssh, jupyter or args") String launchMode,
            @Size(max = 1024) String entrypoint,
            @Size(max = 64) List<@NotNull @Size(max = 4096) String> args,
            @Size(max = 256) Map<@NotBlank @Size(max = 256) String, @NotNull @Size(max = 32768) String> env,
            @Size(max = 32768) String onstart,
            @Size(max = 100) String label,
            @Pattern(regexp = "ondemand|interruptible|reserved", message = "must be ondemand, interruptible or reserved")
            String type) {}

    public record Accepted(String id, String status) {}

    public record InstanceView(String id, String offerId, String machineId, String label, String status,
            String statusReason, Integer numGpus, String image, Instant createdAt, Instant endDate, String pricePerHour,
            String costSoFar, Object ssh, Object jupyter, List<NoticeView> notices) {}

    /** Something the renter must know: announced maintenance (with its window) or a GPU fault. */
    public record NoticeView(Instant at, String kind, String message, Instant start, Instant end) {}

    public record InstanceList(List<InstanceView> instances) {}

    @POST
    public Response create(@Valid @NotNull NewInstance body,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
        String account = callers.require(Role.CLIENT).accountId();
        String instanceId = idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("instance:" + account + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
                        .toString();
        InstanceRow earlier = InstanceRow.findById(instanceId);
        if (earlier == null || !earlier.requested()) {
            publisher.publish(request(account, instanceId, body));
        }
        InstanceRow decided = awaitDecision(instanceId);
        if (decided != null && decided.refusal != null) {
            throw Problem.conflict(decided.refusal + ": " + decided.refusalReason);
        }
        String status = decided == null ? InstanceStatus.CREATING.wire() : decided.shownStatus();
        return Response.accepted(new Accepted(instanceId, status)).build();
    }

    private RentalRequested request(String account, String instanceId, NewInstance body) {
        if (body.type() != null && !body.type().equals("ondemand")) {
            throw Problem.invalid("type", body.type() + " rentals are not offered yet; use ondemand");
        }
        long envBytes = body.env() == null ? 0 : body.env().entrySet().stream()
                .mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                        + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
        if (envBytes > MAX_ENV_BYTES) {
            throw Problem.invalid("env", "at most 32 KiB in total, got " + envBytes + " bytes");
        }
        OfferRefRow ref = OfferRefRow.findById(body.offerId());
        if (ref == null) {
            throw Problem.notFound("offer " + body.offerId());
        }
        RentableMachineRow m = RentableMachineRow.findById(ref.machineId);
        Instant now = clock.instant();
        if (m == null || !m.listed || m.endDate == null || !m.endDate.isAfter(now)
                || !OfferIds.chunkSizes(m.gpuCount, m.minGpus).contains(ref.numGpus)) {
            throw Problem.conflict("offer_unavailable: the offer is not on the market now");
        }
        List<String> keys = new ArrayList<>();
        if (!body.launchMode().equals("args") || body.sshKeyId() != null) {
            if (body.sshKeyId() == null) {
                throw Problem.invalid("sshKeyId", "required for the " + body.launchMode() + " launch mode");
            }
            AccountSshKeyRow key = AccountSshKeyRow.findById(body.sshKeyId());
            if (key == null || !key.accountId.equals(account)) {
                throw Problem.invalid("sshKeyId", "no such SSH key on this account");
            }
            keys.add(key.publicKey);
        }
        Map<String, String> env = new java.util.TreeMap<>(body.env() == null ? Map.of() : body.env());
        env.put("GPUMARKET_INSTANCE_ID", instanceId);
        Contract contract = new Contract(RentalType.ONDEMAND, m.gpuModel, ref.numGpus, body.diskGb(), m.gpuPrice, m.storagePrice,
                m.bandwidthPrice, m.endDate);
        ContainerSpec container = new ContainerSpec(body.image(), body.launchMode(), body.entrypoint(),
                body.args() == null ? List.of() : body.args(), env, body.onstart(), keys);
        return new RentalRequested(new EventMeta(UUID.randomUUID(), account, 0, now, callers.requestId()),
                instanceId, account, body.offerId(), m.machineId, m.hostAccountId, body.label(), contract, container);
    }

    /** The instance once placed or refused, or null if that took longer than the decision wait. */
    private InstanceRow awaitDecision(String instanceId) {
        long deadline = System.nanoTime() + decisionWait.toNanos();
        while (true) {
            InstanceRow row = QuarkusTransaction.requiringNew().call(() -> InstanceRow.<InstanceRow>findById(instanceId));
            if (row != null && (row.placed || row.refusal != null)) {
                return row;
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    @GET
    public InstanceList list(@QueryParam("status") @Size(max = 32) String status) {
        String account = callers.current().accountId();
        List<InstanceRow> rows = InstanceRow.list("accountId = ?1 order by createdAt, id", account);
        return new InstanceList(rows.stream().filter(i -> status == null || status.equals(i.shownStatus()))
                .map(InstancesResource::view).toList());
    }

    @GET
    @Path("/{id}")
    public InstanceView one(@PathParam("id") String id) {
        return view(own(id));
    }

    @DELETE
    @Path("/{id}")
    public Response terminate(@PathParam("id") String id) {
        InstanceRow i = own(id);
        String status = i.shownStatus();
        if (status.equals("terminating") || status.equals("terminated") || status.equals("rental_error")) {
            throw Problem.conflict("the instance is " + status + " and cannot be terminated");
        }
        publisher.publish(new TerminationRequested(new EventMeta(UUID.randomUUID(), i.machineId, 0, clock.instant(),
                callers.requestId()), i.id, i.accountId, "terminated by its owner"));
        return Response.accepted(new Accepted(i.id, InstanceStatus.TERMINATING.wire())).build();
    }

    @POST
    @Path("/{id}/stop")
    public Response stop(@PathParam("id") String id) {
        InstanceRow i = own(id);
        String status = i.shownStatus();
        if (!status.equals("online")) {
            throw Problem.conflict("the instance is " + status + "; only an online instance can be stopped");
        }
        publisher.publish(new StopRequested(new EventMeta(UUID.randomUUID(), i.machineId, 0, clock.instant(),
                callers.requestId()), i.id, i.accountId));
        return Response.accepted(new Accepted(i.id, status)).build();
    }

    @POST
    @Path("/{id}/start")
    public Response start(@PathParam("id") String id) {
        InstanceRow i = own(id);
        String status = i.shownStatus();
        if (!status.equals("stopped")) {
            throw Problem.conflict("the instance is " + status + "; only a stopped instance can be started");
        }
        if (i.chargingPaused) {
            throw Problem.conflict("the account is suspended; a deposit reactivates it");
        }
        publisher.publish(new StartRequested(new EventMeta(UUID.randomUUID(), i.machineId, 0, clock.instant(),
                callers.requestId()), i.id, i.accountId));
        return Response.accepted(new Accepted(i.id, status)).build();
    }

    private InstanceRow own(String id) {
        String account = callers.current().accountId();
        InstanceRow i = InstanceRow.findById(id);
        if (i == null || !account.equals(i.accountId)) {
            throw Problem.notFound("instance");
        }
        return i;
    }

    static InstanceView view(InstanceRow i) {
        return new InstanceView(i.id, i.offerId, i.machineId, i.label, i.shownStatus(), i.shownReason(), i.numGpus,
                i.image, i.createdAt, i.shownEndDate(), Money.format(i.pricePerHour), Money.format(i.costSoFar), null, null,
                NoticeRow.of(i.id).stream().map(n -> new NoticeView(n.at, n.kind, n.message, n.start, n.end)).toList());
    }
}
