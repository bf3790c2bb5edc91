package io.gpumarket.node.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.ListingView;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.api.Secrets;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.gpumarket.node.domain.HardwareChecks;
import io.gpumarket.node.projection.MachineListingRow;
import io.gpumarket.node.projection.MachineRow;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/machines} for hosts: register a machine (its hardware checks run at once; the
 * agent token is shown once and only its hash goes on {@code gpumarket.machines}), list and show
 * one's own machines. Another host's machine is 404, a client key is 403.
 */
@Path("/api/v1/machines")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MachinesResource {
    private final EventPublisher publisher;
    private final Projections projections;
    private final Callers callers;
    private final Clock clock;

    public MachinesResource(EventPublisher publisher, Projections projections, Callers callers, Clock clock) {
        this.publisher = publisher;
        this.projections = projections;
        this.callers = callers;
        this.clock = clock;
    }

    public record DiskDto(@NotBlank @Size(max = 16) String kind, @Min(1) @Max(1_000_000) int sizeGb) {}

    public record NewMachine(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 64) String gpuModel,
            @NotNull @Min(1) @Max(64) Integer gpuCount,
            @NotNull @Min(1) @Max(1024) Integer gpuRamGb,
            @NotNull @Min(1) @Max(1024) Integer cpuCores,
            @NotNull @Min(1) @Max(65536) Integer ramGb,
            @NotNull @Min(1) @Max(1_000_000) Integer diskGb,
            @NotBlank @Size(max = 64) String region,
            @NotNull @Min(0) @Max(1_000_000) Integer inetUpMbps,
            @NotNull @Min(0) @Max(1_000_000) Integer inetDownMbps,
            @Min(1) @Max(7) Integer pcieGen,
            @Min(1) @Max(64) Integer pcieLanesPerGpu,
            @Size(max = 100) String cpuModel,
            @Size(max = 32) List<@Valid DiskDto> disks) {

        MachineSpec spec() {
            return new MachineSpec(name.trim(), gpuModel.trim(), gpuCount, gpuRamGb, cpuCores, ramGb, diskGb,
                    region.trim(), inetUpMbps, inetDownMbps, pcieGen, pcieLanesPerGpu, cpuModel,
                    disks == null ? null : disks.stream().map(d -> new MachineSpec.Disk(d.kind(), d.sizeGb())).toList());
        }
    }

    public record MachineView(String id, String name, String gpuModel, int gpuCount, int gpuRamGb, int cpuCores,
            int ramGb, int diskGb, String region, int inetUpMbps, int inetDownMbps, Integer pcieGen,
            Integer pcieLanesPerGpu, String cpuModel, List<MachineSpec.Disk> disks, boolean online,
            ListingView listing, Object maintenance, boolean maintenanceMode, String verification,
            String reliability, String dlperf, String driverVersion, String cudaVersion, List<CheckResult> checks,
            String status) {}

    public record Registered(String id, String agentToken, List<CheckResult> checks, MachineView machine) {}

    @POST
    public Response register(@Valid @NotNull NewMachine body) {
        String host = callers.require(Role.HOST).accountId();
        String id = UUID.randomUUID().toString();
        String token = Secrets.generate("gpa_");
        MachineSpec spec = body.spec();
        List<CheckResult> checks = HardwareChecks.of(spec);
        var event = new MachineRegistered(new EventMeta(UUID.randomUUID(), id, 1, clock.instant(), callers.requestId()),
                host, spec, checks, KeyHash.of(token));
        projections.awaitApplied(publisher.publish(event), Duration.ofSeconds(5));
        MachineRow row = MachineRow.findById(id);
        return Response.status(201).entity(new Registered(id, token, checks, row == null ? null : view(row))).build();
    }

    @GET
    public List<MachineView> mine() {
        String host = callers.require(Role.HOST).accountId();
        return MachineRow.<MachineRow>list("hostAccountId = ?1 order by registeredAt, id", host).stream()
                .map(MachinesResource::view).toList();
    }

    @GET
    @Path("/{id}")
    public MachineView one(@PathParam("id") String id) {
        return view(own(id));
    }

    public record MaintenanceMode(@NotNull Boolean enabled) {}

    /** Takes the machine out of the market at once, or puts it back; running instances go on. */
    @PUT
    @Path("/{id}/maintenance-mode")
    public MachineView maintenanceMode(@PathParam("id") String id, @Valid @NotNull MaintenanceMode body) {
        own(id);
        var event = new MaintenanceModeChanged(new EventMeta(UUID.randomUUID(), id, 0, clock.instant(),
                callers.requestId()), body.enabled());
        projections.awaitApplied(publisher.publish(event), Duration.ofSeconds(5));
        return view(MachineRow.findById(id));
    }

    private MachineRow own(String id) {
        String host = callers.require(Role.HOST).accountId();
        MachineRow row = MachineRow.findById(id);
        if (row == null || !row.hostAccountId.equals(host)) {
            throw Problem.notFound("machine");
        }
        return row;
    }

    static MachineView view(MachineRow m) {
        MachineSpec s = read(m.spec, new TypeReference<>() {});
        List<CheckResult> checks = read(m.checks, new TypeReference<>() {});
        MachineListingRow listed = MachineListingRow.findById(m.id);
        ListingTerms listing = listed == null ? null : read(listed.terms, new TypeReference<>() {});
        String status = !m.online ? "offline" : m.maintenance ? "maintenance" : listing != null ? "listed" : "unlisted";
        return new MachineView(m.id, s.name(), s.gpuModel(), s.gpuCount(), s.gpuRamGb(), s.cpuCores(), s.ramGb(),
                s.diskGb(), s.region(), s.inetUpMbps(), s.inetDownMbps(), s.pcieGen(), s.pcieLanesPerGpu(),
                s.cpuModel(), s.disks(), m.online, listing == null ? null : ListingView.of(listing),
                m.maintenance ? Map.of("mode", true) : null, m.maintenance, "unverified", null, null, m.driverVersion,
                m.cudaVersion, checks, status);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
