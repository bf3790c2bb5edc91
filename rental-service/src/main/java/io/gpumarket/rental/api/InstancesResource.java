package io.gpumarket.rental.api;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.offer.OfferIds;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalEvent.BidChangeRequested;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.rental.RentalEvent.RestartRequested;
import io.gpumarket.events.rental.RentalEvent.SshKeysChangeRequested;
import io.gpumarket.events.rental.RegistryAuth;
import io.gpumarket.events.rental.Reservation;
import io.gpumarket.events.rental.Resources;
import io.gpumarket.events.rental.RentalEvent.StartRequested;
import io.gpumarket.events.rental.RentalEvent.StopRequested;
import io.gpumarket.events.rental.RentalEvent.TerminationRequested;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.api.Secrets;
import io.gpumarket.kit.processing.Processors;
import io.gpumarket.rental.api.RentalDecisions.Decision;
import io.gpumarket.rental.projection.AccountSshKeyRow;
import io.gpumarket.rental.projection.InstanceRow;
import io.gpumarket.rental.projection.InstancesProjection;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /api/v1/instances}: a client rents from an offer ({@code RentalRequested} on
 * {@code gpumarket.rentals}, keyed by the account, written and decided by the account's single
 * writer, in one transaction when this replica owns the account; the
 * call waits briefly for the decision: 202 {@code creating} once the machine took it, 409 with the
 * reason when refused) on demand, on a bid ({@code interruptible}) or for a prepaid term
 * ({@code reserved}); lists and shows its instances; and stops, starts, restarts, re-bids,
 * re-keys and terminates one (requests keyed by the machine, which decides). Another account's
 * instance is 404.
 */
@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InstancesResource {
    static final int MAX_ENV_BYTES = 32 * 1024;
    private static final long DECISION_LOOK_MILLIS = 250;
    private static final Set<String> ENDED = Set.of("terminating", "terminated", "rental_error");

    private final Processors processors;
    private final Callers callers;
    private final OwnInstances ownInstances;
    private final RentalDecisions decisions;
    private final Clock clock;
    private final Duration decisionWait;

    public InstancesResource(Processors processors, Callers callers, OwnInstances ownInstances,
            RentalDecisions decisions, Clock clock,
            @ConfigProperty(name = "gpumarket.rental.decision-wait") Duration decisionWait) {
        this.decisions = decisions;
        this.processors = processors;
        this.callers = callers;
        this.ownInstances = ownInstances;
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
            String type,
            @Size(max = 32) String bidPerHour,
            @Min(1) @Max(Reservation.MAX_MONTHS) Integer reservedMonths,
            @Valid NewRegistryAuth registryAuth) {}

    /** Credentials for a private image's registry. */
    public record NewRegistryAuth(@NotBlank @Size(max = 255) String server, @NotBlank @Size(max = 255) String username,
            @NotBlank @Size(max = 4096) String password) {}

    public record NewBid(@NotNull @Size(max = 32) String bidPerHour) {}

    public record Accepted(String id, String status) {}

    public record InstanceView(String id, String offerId, String machineId, String label, String type, String status,
            String statusReason, Integer numGpus, String image, Instant createdAt, Instant endDate, String pricePerHour,
            String costSoFar, SshAccess ssh, JupyterAccess jupyter, List<NoticeView> notices,
            ReservationView reservation) {}

    /** A reserved instance's term: months, discount (a decimal fraction), end, and what was prepaid. */
    public record ReservationView(int months, String discount, Instant until, String prepaid) {}

    /** Something the renter must know: announced maintenance (with its window) or a GPU fault. */
    public record NoticeView(Instant at, String kind, String message, Instant start, Instant end) {}

    public record InstanceList(List<InstanceView> instances) {}

    @POST
    public Response create(@Valid @NotNull NewInstance body,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
        String account = callers.require(Role.CLIENT).accountId();
        boolean repeatable = idempotencyKey != null && !idempotencyKey.isBlank();
        String instanceId = !repeatable ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("instance:" + account + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
                        .toString();
        // only a request that names an idempotency key can have been made before
        InstanceRow earlier = repeatable ? InstanceRow.findById(instanceId) : null;
        Decision known = Decision.of(earlier);
        if (known != null) {
            return answer(instanceId, known, earlier.shownStatus());
        }
        var decision = decisions.expect(instanceId);
        Decision decided;
        try {
            String machineId;
            if (earlier == null || !earlier.requested()) {
                RentalRequested request = request(account, instanceId, body);
                processors.write(request);
                machineId = request.machineId();
            } else {
                machineId = earlier.machineId;
            }
            decided = awaitDecision(instanceId, decision, decisions.handedHere(account, machineId));
        } finally {
            decisions.forget(instanceId);
        }
        return answer(instanceId, decided, InstanceStatus.CREATING.wire());
    }

    /** 409 with the reason if refused; else 202 with the status (also while still undecided). */
    private static Response answer(String instanceId, Decision decided, String status) {
        if (decided != null && decided.refusal() != null) {
            throw Problem.conflict(decided.refusal() + ": " + decided.detail());
        }
        return Response.accepted(new Accepted(instanceId, status)).build();
    }

    private RentalRequested request(String account, String instanceId, NewInstance body) {
        RentalType type = body.type() == null ? RentalType.ONDEMAND : RentalType.valueOf(body.type().toUpperCase(Locale.ROOT));
        if (type != RentalType.INTERRUPTIBLE && body.bidPerHour() != null) {
            throw Problem.invalid("bidPerHour", "only an interruptible rental has a bid");
        }
        if (type != RentalType.RESERVED && body.reservedMonths() != null) {
            throw Problem.invalid("reservedMonths", "only a reserved rental has a term");
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
        if (m.diskGb != null && body.diskGb() > m.diskGb) {
            throw Problem.invalid("diskGb", "at most " + m.diskGb + " GB on this machine");
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
        if (body.launchMode().equals("jupyter")) {
            // the container's Jupyter login; its owner reads it on the instance once online
            env.put(InstancesProjection.JUPYTER_TOKEN, Secrets.generate(""));
        }
        Contract contract = contract(type, body, m, ref.numGpus, now);
        Resources share = m.cpuCores == null || m.ramGb == null ? null
                : Resources.share(ref.numGpus, m.gpuCount, m.cpuCores, m.ramGb);
        RegistryAuth auth = body.registryAuth() == null ? null : new RegistryAuth(body.registryAuth().server(),
                body.registryAuth().username(), body.registryAuth().password());
        ContainerSpec container = new ContainerSpec(body.image(), body.launchMode(), body.entrypoint(),
                body.args() == null ? List.of() : body.args(), env, body.onstart(), keys, share, auth);
        return new RentalRequested(new EventMeta(UUID.randomUUID(), account, 0, now, callers.requestId()),
                instanceId, account, body.offerId(), m.machineId, m.hostAccountId, body.label(), contract, container);
    }

    /**
     * The contract a rental of {@code type} makes on the machine's listing now: on demand at the
     * host's price; interruptible at the bid (at least the host's minimum); reserved at the
     * discounted price for a term that must end before the listing does.
     */
    private static Contract contract(RentalType type, NewInstance body, RentableMachineRow m, int gpus, Instant now) {
        if (type == RentalType.INTERRUPTIBLE) {
            long bid = bid(body.bidPerHour(), m);
            return new Contract(type, m.gpuModel, gpus, body.diskGb(), bid, m.storagePrice, m.bandwidthPrice, m.endDate);
        }
        if (type == RentalType.RESERVED) {
            if (body.reservedMonths() == null) {
                throw Problem.invalid("reservedMonths", "required for a reserved rental (1 to " + Reservation.MAX_MONTHS
                        + ")");
            }
            int maxBps = m.reservedDiscountMaxBps == null ? 0 : m.reservedDiscountMaxBps;
            Reservation term = Reservation.of(body.reservedMonths(), maxBps, gpus, m.gpuPrice, now);
            if (term.until().isAfter(m.endDate)) {
                throw Problem.invalid("reservedMonths", "a term of " + body.reservedMonths() + " months ends at "
                        + term.until() + ", after the listing ends (" + m.endDate + ")");
            }
            return new Contract(type, m.gpuModel, gpus, body.diskGb(), term.pricePerHourMicros(), m.storagePrice,
                    m.bandwidthPrice, term.until(), term);
        }
        return new Contract(type, m.gpuModel, gpus, body.diskGb(), m.gpuPrice, m.storagePrice, m.bandwidthPrice,
                m.endDate);
    }

    /** A bid per GPU-hour from the API: a decimal amount at or above the machine's minimum bid. */
    private static long bid(String decimal, RentableMachineRow m) {
        if (decimal == null) {
            throw Problem.invalid("bidPerHour", "required for an interruptible rental");
        }
        long bid;
        try {
            bid = Money.parseMicros(decimal);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("bidPerHour", e.getMessage());
        }
        long min = m.minBid == null ? 0 : m.minBid;
        if (bid <= 0 || bid < min) {
            throw Problem.invalid("bidPerHour", "must be positive and at least the host's minimum bid of "
                    + Money.format(min) + " per GPU-hour");
        }
        return bid;
    }

    /**
     * The decision, or null if it took longer than the decision wait: handed over by this
     * replica's projection (the wait is registered before the request is written, so no decision
     * slips past it). When another replica projects the account's or the machine's partition, the
     * database is looked at too: after {@value #DECISION_LOOK_MILLIS} ms, then at twice the previous
     * pause; else only once, at the end of the wait.
     */
    private Decision awaitDecision(String instanceId, CompletableFuture<Decision> decision, boolean handedHere) {
        long deadline = System.nanoTime() + decisionWait.toNanos();
        long pause = handedHere ? decisionWait.toNanos() : DECISION_LOOK_MILLIS * 1_000_000L;
        while (true) {
            long left = Math.max(0, deadline - System.nanoTime());
            Decision handed = decisions.await(decision, Duration.ofNanos(Math.min(left, pause)));
            pause *= 2;
            if (handed != null) {
                return handed;
            }
            Decision found = QuarkusTransaction.requiringNew()
                    .call(() -> Decision.of(InstanceRow.<InstanceRow>findById(instanceId)));
            if (found != null || System.nanoTime() >= deadline) {
                return found;
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
        if (ENDED.contains(status)) {
            throw Problem.conflict("the instance is " + status + " and cannot be terminated");
        }
        processors.write(new TerminationRequested(toMachine(i), i.id, i.accountId, "terminated by its owner"));
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
        processors.write(new StopRequested(toMachine(i), i.id, i.accountId));
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
        processors.write(new StartRequested(toMachine(i), i.id, i.accountId));
        return Response.accepted(new Accepted(i.id, status)).build();
    }

    /**
     * Changes an interruptible's bid ({@code BidChangeRequested}, keyed by the machine, which weighs
     * the GPUs again): 202; 409 for another type or an instance that has ended or expired; 422 for
     * a bid below the host's minimum.
     */
    @PUT
    @Path("/{id}/bid")
    public Response changeBid(@PathParam("id") String id, @Valid @NotNull NewBid body) {
        InstanceRow i = own(id);
        if (!RentalType.INTERRUPTIBLE.wire().equals(i.rentalType)) {
            throw Problem.conflict("only an interruptible instance has a bid; this one is " + i.rentalType);
        }
        String status = i.shownStatus();
        if (ENDED.contains(status) || status.equals("expired")) {
            throw Problem.conflict("the instance is " + status + "; its bid can no longer change");
        }
        RentableMachineRow m = RentableMachineRow.findById(i.machineId);
        long bid = bid(body.bidPerHour(), m);
        processors.write(new BidChangeRequested(toMachine(i), i.id, i.accountId, bid));
        return Response.accepted(new Accepted(i.id, status)).build();
    }

    /** Restarts a running container in place ({@code RestartRequested}): 202; 409 unless online. */
    @POST
    @Path("/{id}/restart")
    public Response restart(@PathParam("id") String id) {
        InstanceRow i = own(id);
        String status = i.shownStatus();
        if (!status.equals("online")) {
            throw Problem.conflict("the instance is " + status + "; only an online instance can be restarted");
        }
        processors.write(new RestartRequested(toMachine(i), i.id, i.accountId));
        return Response.accepted(new Accepted(i.id, status)).build();
    }

    public record NewKeys(@NotNull @Size(min = 1, max = 20) List<@NotBlank @Size(max = 100) String> sshKeyIds) {}

    /**
     * Replaces the instance's SSH keys with the account's keys named ({@code SshKeysChangeRequested}):
     * installed in the running container at once, and used at every later start. 202; 422 for a key
     * the account does not have; 409 for an instance that has ended.
     */
    @PUT
    @Path("/{id}/ssh-keys")
    public Response changeKeys(@PathParam("id") String id, @Valid @NotNull NewKeys body) {
        InstanceRow i = own(id);
        String status = i.shownStatus();
        if (ENDED.contains(status)) {
            throw Problem.conflict("the instance is " + status + "; its keys can no longer change");
        }
        List<String> keys = new ArrayList<>();
        for (String keyId : body.sshKeyIds()) {
            AccountSshKeyRow key = AccountSshKeyRow.findById(keyId);
            if (key == null || !key.accountId.equals(i.accountId)) {
                throw Problem.invalid("sshKeyIds", "no SSH key " + keyId + " on this account");
            }
            keys.add(key.publicKey);
        }
        processors.write(new SshKeysChangeRequested(toMachine(i), i.id, i.accountId, keys));
        return Response.accepted(new Accepted(i.id, status)).build();
    }

    /** The envelope of a request about an instance, keyed by its machine, whose aggregate decides it. */
    private EventMeta toMachine(InstanceRow i) {
        return new EventMeta(UUID.randomUUID(), i.machineId, 0, clock.instant(), callers.requestId());
    }

    private InstanceRow own(String id) {
        return ownInstances.get(id);
    }

    public record SshAccess(String host, int port) {}

    public record JupyterAccess(String url, String token) {}

    static InstanceView view(InstanceRow i) {
        boolean online = i.shownStatus().equals("online") && i.accessHost != null;
        SshAccess ssh = online && i.sshPort != null ? new SshAccess(i.accessHost, i.sshPort) : null;
        JupyterAccess jupyter = online && i.jupyterPort != null && i.jupyterToken != null
                ? new JupyterAccess("http://" + i.accessHost + ":" + i.jupyterPort + "/", i.jupyterToken) : null;
        ReservationView term = i.reservedMonths == null ? null : new ReservationView(i.reservedMonths,
                BigDecimal.valueOf(i.reservedDiscountBps, 4).toPlainString(), i.reservedUntil, Money.format(i.prepaid));
        return new InstanceView(i.id, i.offerId, i.machineId, i.label, i.rentalType, i.shownStatus(), i.shownReason(),
                i.numGpus, i.image, i.createdAt, i.shownEndDate(), i.pricePerHour == null ? null
                        : Money.format(i.shownPricePerHour()), Money.format(i.costSoFar), ssh, jupyter,
                NoticeRow.of(i.id).stream().map(n -> new NoticeView(n.at, n.kind, n.message, n.start, n.end)).toList(),
                term);
    }
}
