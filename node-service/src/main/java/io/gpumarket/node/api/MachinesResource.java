package io.gpumarket.node.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineEvent.MaintenanceScheduled;
import io.gpumarket.events.machine.MachineEvent.PerformanceScored;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.machine.PerformanceSource;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.ListingView;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.api.Secrets;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.gpumarket.node.domain.GpuModels;
import io.gpumarket.node.domain.HardwareChecks;
import io.gpumarket.node.domain.Reliability;
import io.gpumarket.node.projection.HeartbeatRow;
import io.gpumarket.node.projection.MachineListingRow;
import io.gpumarket.node.projection.MachineRow;
import io.gpumarket.node.projection.MaintenanceWindowRow;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
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
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
    static final int MAX_WINDOW_AHEAD_DAYS = 90;
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
            ListingView listing, MaintenanceView maintenance, boolean maintenanceMode, String verification,
            String verificationReason, String reliability, ReliabilityView reliabilityDetail, String dlperf,
            BenchmarkView benchmark, AuditView audit, List<GpuFaultView> gpuFaults, String driverVersion,
            String cudaVersion, HeartbeatView lastHeartbeat, List<CheckResult> checks, String status) {}

    /** Maintenance mode and the windows not yet ended; null when there is neither. */
    public record MaintenanceView(boolean mode, List<WindowView> windows) {}

    /** What the reliability score was made of (the window is 30 days). */
    public record ReliabilityView(String uptime, int failedStarts, int rentalDisconnects) {}

    public record BenchmarkView(String dlperfPerGpu, boolean withinRange, Instant at) {}

    public record AuditView(String reason, Instant at) {}

    public record GpuFaultView(int gpu, String fault) {}

    public record Registered(String id, String agentToken, List<CheckResult> checks, MachineView machine) {}

    @POST
    public Response register(@Valid @NotNull NewMachine body) {
        String host = callers.require(Role.HOST).accountId();
        String id = UUID.randomUUID().toString();
        String token = Secrets.generate("gpa_");
        MachineSpec spec = body.spec();
        List<CheckResult> checks = HardwareChecks.of(spec);
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>();
        events.add(new MachineRegistered(new EventMeta(UUID.randomUUID(), id, 1, now, callers.requestId()), host, spec,
                checks, KeyHash.of(token)));
        GpuModels.expectedPerGpuCenti(spec.gpuModel()).ifPresent(expected -> events.add(new PerformanceScored(
                new EventMeta(UUID.randomUUID(), id, 0, now, callers.requestId()), expected, PerformanceSource.TABLE, expected, true)));
        projections.awaitApplied(publisher.publish(events), Duration.ofSeconds(5));
        MachineRow row = MachineRow.findById(id);
        return Response.status(201).entity(new Registered(id, token, checks, row == null ? null : view(row))).build();
    }

    @GET
    public List<MachineView> mine() {
        String host = callers.require(Role.HOST).accountId();
        return MachineRow.<MachineRow>list("hostAccountId = ?1 order by registeredAt, id", host).stream()
                .map(this::view).toList();
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

    public record NewWindow(@NotNull Instant start,
            @NotNull @DecimalMin(value = "0.25") @DecimalMax("720") @Digits(integer = 3, fraction = 2) BigDecimal durationHours,
            @NotBlank @Size(max = 500) String reason) {}

    public record WindowView(String id, Instant start, Instant end, String reason) {
        static WindowView of(MaintenanceWindowRow w) {
            return new WindowView(w.id, w.start, w.end, w.reason);
        }
    }

    /**
     * Announces a maintenance window: renters of the machine's instances are notified now, and its
     * offers are hidden from {@code start} for {@code durationHours}. The start may be up to
     * {@value #MAX_WINDOW_AHEAD_DAYS} days ahead and not in the past (a minute of slack).
     */
    @POST
    @Path("/{id}/maintenance")
    public Response scheduleMaintenance(@PathParam("id") String id, @Valid @NotNull NewWindow body) {
        own(id);
        Instant now = clock.instant();
        if (body.start().isBefore(now.minusSeconds(60))) {
            throw Problem.invalid("start", "must not be in the past");
        }
        if (body.start().isAfter(now.plus(Duration.ofDays(MAX_WINDOW_AHEAD_DAYS)))) {
            throw Problem.invalid("start", "must be within " + MAX_WINDOW_AHEAD_DAYS + " days");
        }
        Instant start = body.start().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant end = start.plusSeconds(body.durationHours().multiply(BigDecimal.valueOf(3600)).longValue());
        String windowId = UUID.randomUUID().toString();
        var event = new MaintenanceScheduled(new EventMeta(UUID.randomUUID(), id, 0, now, callers.requestId()), windowId,
                start, end, body.reason().trim());
        projections.awaitApplied(publisher.publish(event), Duration.ofSeconds(5));
        return Response.status(201).entity(new WindowView(windowId, start, end, body.reason().trim())).build();
    }

    private MachineRow own(String id) {
        String host = callers.require(Role.HOST).accountId();
        MachineRow row = MachineRow.findById(id);
        if (row == null || !row.hostAccountId.equals(host)) {
            throw Problem.notFound("machine");
        }
        return row;
    }

    MachineView view(MachineRow m) {
        MachineSpec s = MachineRow.read(m.spec, new TypeReference<>() {});
        List<CheckResult> checks = MachineRow.read(m.checks, new TypeReference<>() {});
        MachineListingRow listed = MachineListingRow.findById(m.id);
        ListingTerms listing = listed == null ? null : MachineRow.read(listed.terms, new TypeReference<>() {});
        Instant now = clock.instant();
        List<WindowView> windows = MaintenanceWindowRow.upcoming(m.id, now).stream().map(WindowView::of).toList();
        boolean inWindow = windows.stream().anyMatch(w -> !w.start().isAfter(now));
        String status = !m.online ? "offline" : m.maintenance || inWindow ? "maintenance"
                : listing != null ? "listed" : "unlisted";
        long reliability = m.reliabilityPpm == null ? Reliability.DEFAULT.priorPpm() : m.reliabilityPpm;
        return new MachineView(m.id, s.name(), s.gpuModel(), s.gpuCount(), s.gpuRamGb(), s.cpuCores(), s.ramGb(),
                s.diskGb(), s.region(), s.inetUpMbps(), s.inetDownMbps(), s.pcieGen(), s.pcieLanesPerGpu(),
                s.cpuModel(), s.disks(), m.online, listing == null ? null : ListingView.of(listing),
                m.maintenance || !windows.isEmpty() ? new MaintenanceView(m.maintenance, windows) : null,
                m.maintenance, m.verification, m.verificationReason, decimal(reliability, 6),
                m.uptimePpm == null ? null : new ReliabilityView(decimal(m.uptimePpm, 6), m.failedStarts,
                        m.rentalDisconnects),
                m.dlperfCenti == null ? null : decimal(m.dlperfCenti * s.gpuCount(), 2),
                m.benchmarkCenti == null ? null : new BenchmarkView(decimal(m.benchmarkCenti, 2),
                        Boolean.TRUE.equals(m.benchmarkWithinRange), m.benchmarkAt),
                m.auditReason == null ? null : new AuditView(m.auditReason, m.auditAt),
                m.faults().entrySet().stream().map(f -> new GpuFaultView(f.getKey(), f.getValue())).toList(),
                m.driverVersion, m.cudaVersion, HeartbeatView.of(HeartbeatRow.findById(m.id)), checks, status);
    }

    private static String decimal(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale).toPlainString();
    }
}
