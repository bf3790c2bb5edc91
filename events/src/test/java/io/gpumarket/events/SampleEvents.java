package io.gpumarket.events;

import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.heartbeat.HeartbeatEvent;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.ContainerAccess;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.machine.PerformanceSource;
import io.gpumarket.events.machine.Verification;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RegistryAuth;
import io.gpumarket.events.rental.Reservation;
import io.gpumarket.events.rental.Resources;
import io.gpumarket.events.rental.RejectionReason;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.status.StatusEvent;
import io.gpumarket.events.usage.UsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fixed sample of every event type; the golden files are these samples as JSON. */
final class SampleEvents {
    private SampleEvents() {}

    static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    static final Instant END = Instant.parse("2026-12-31T00:00:00Z");

    static EventMeta meta(String aggregate, long seq) {
        return new EventMeta(UUID.fromString("00000000-0000-0000-0000-00000000000" + (seq % 10)), aggregate, seq, AT,
                "req-1");
    }

    static final Contract CONTRACT =
            new Contract(RentalType.ONDEMAND, "RTX 4090", 2, 40, 450_000, 100_000, 2_000_000, END);
    static final Contract RESERVED = new Contract(RentalType.RESERVED, "RTX 4090", 2, 40, 360_000, 100_000,
            2_000_000, AT.plus(Reservation.MONTH), Reservation.of(1, 4000, 2, 450_000, AT));
    static final ContainerSpec CONTAINER = new ContainerSpec("pytorch/pytorch:latest", "ssh", null, List.of(),
            Map.of("HF_HOME", "/data"), "echo hi", List.of("ssh-ed25519 AAAAC3Nza test@host"),
            new Resources(16_000, 131_072, 65_536), new RegistryAuth("ghcr.io", "ada", "ghp_token"));
    static final MachineSpec SPEC = new MachineSpec("rig-1", "RTX 4090", 4, 24, 32, 256, 2000, "EU-DE", 1000, 1000,
            4, 16, "AMD EPYC 7302", List.of(new MachineSpec.Disk("nvme", 2000)));

    static List<Event> all() {
        return List.of(
                new AccountEvent.AccountOpened(meta("acc-1", 1), "Ada", "ada@example.com", Role.CLIENT),
                new AccountEvent.ApiKeyIssued(meta("acc-1", 2), "key-1", "ab12cd", false, "ci deploys"),
                new AccountEvent.ApiKeyRevoked(meta("acc-1", 3), "key-1"),
                new AccountEvent.SshKeyAdded(meta("acc-1", 4), "ssh-1", "laptop", "ssh-ed25519 AAAAC3Nza test@host",
                        "SHA256:abc"),
                new AccountEvent.SshKeyRemoved(meta("acc-1", 5), "ssh-1"),
                new LedgerEvent.FundsDeposited(meta("acc-1", 1), "dep-1", 10_000_000),
                new LedgerEvent.UsageCharged(meta("acc-1", 2), "chg-1", -2_805, "inst-1", "m-1", "host-1", AT,
                        AT.plusSeconds(10), 2_500, 250, 55, 701, 2_104, 1_001_000),
                new LedgerEvent.PayoutBooked(meta("host-1", 1), "pay-1", -12_000_000, AT),
                new AccountEvent.LowBalanceWarned(meta("acc-1", 6), 400_000, 1_001_000),
                new AccountEvent.AccountSuspended(meta("acc-1", 7), -1_200),
                new AccountEvent.AccountReactivated(meta("acc-1", 8), 9_998_800),
                new AccountEvent.SuspensionGraceExpired(meta("acc-1", 9), AT),
                new MachineEvent.MachineRegistered(meta("m-1", 1), "host-1", SPEC,
                        List.of(new CheckResult("ram", true, "256 GB >= 2 x 96 GB VRAM")), "f00d"),
                new MachineEvent.MachineCameOnline(meta("m-1", 2), "0.1.0"),
                new MachineEvent.MachineWentOffline(meta("m-1", 3), "3 heartbeats missed", List.of("inst-1")),
                new MachineEvent.MaintenanceScheduled(meta("m-1", 7), "win-1", AT.plusSeconds(86_400),
                        AT.plusSeconds(93_600), "replacing a fan"),
                new MachineEvent.GpuFaultReported(meta("m-1", 8), 1, "Xid 79: fallen off the bus"),
                new MachineEvent.GpuFaultCleared(meta("m-1", 9), 1),
                new MachineEvent.PerformanceScored(meta("m-1", 10), 3650, PerformanceSource.BENCHMARK, 3700L, true),
                new MachineEvent.AuditFlagged(meta("m-1", 11), "benchmark 90.00 per GPU, expected 25.90 to 48.10"),
                new MachineEvent.ReliabilityScored(meta("m-1", 12), 912_345, 960_000, 1, 1),
                new MachineEvent.VerificationChanged(meta("m-1", 13), Verification.VERIFIED,
                        "24 h online, reliability 0.95, benchmark in range"),
                new MachineEvent.MaintenanceModeChanged(meta("m-1", 5), true),
                new MachineEvent.SoftwareReported(meta("m-1", 6), "550.54.15", "12.4"),
                new MachineEvent.ContainerReported(meta("m-1", 4), "work-1", "inst-1", ContainerState.RUNNING, "ok",
                        new ContainerAccess("rig-1.example.net", 40022, 40888)),
                new HeartbeatEvent.HeartbeatReceived(meta("m-1", 0), "boot-1", 42, AT.minusSeconds(1),
                        List.of(new HeartbeatEvent.GpuReading(0, 97, 20_000, 71, null),
                                new HeartbeatEvent.GpuReading(1, 0, 0, 40, "Xid 79: fallen off the bus")),
                        "550.54", "12.4", 1800L, List.of("inst-1"),
                        List.of(new HeartbeatEvent.ContainerTraffic("inst-1", 1_000_000, 20_000))),
                new OfferEvent.ListingPublished(meta("m-1", 1), "host-1",
                        new ListingTerms(450_000, 100_000, 2_000_000, 1, 200_000, 4000, END)),
                new OfferEvent.ListingWithdrawn(meta("m-1", 2)),
                new OfferEvent.ContractsExtended(meta("m-1", 3), END.plusSeconds(86_400)),
                new RentalEvent.RentalRequested(meta("acc-1", 0), "inst-1", "acc-1", "off-1", "m-1", "host-1", "train",
                        CONTRACT, CONTAINER),
                new RentalEvent.RentalApproved(meta("acc-1", 1), "inst-1", "m-1", 905_556, 0),
                new RentalEvent.RentalRejected(meta("acc-1", 2), "inst-2", RejectionReason.INSTANCE_LIMIT,
                        "5 instances already hold resources"),
                new RentalEvent.InstanceReleased(meta("acc-1", 3), "inst-1", "terminated"),
                new RentalEvent.PlacementRequested(meta("m-1", 5), "inst-1", "acc-1", "host-1", "train", CONTRACT,
                        CONTAINER),
                new RentalEvent.GpusAllocated(meta("m-1", 6), "inst-1", List.of(0, 1), RentalType.ONDEMAND),
                new RentalEvent.ContractExtended(meta("m-1", 9), "inst-1", END.plusSeconds(86_400)),
                new RentalEvent.GpusReleased(meta("m-1", 7), "inst-1", List.of(0, 1)),
                new RentalEvent.PlacementRefused(meta("m-1", 8), "inst-3", RejectionReason.GPUS_TAKEN,
                        "2 GPUs asked, 0 free"),
                new RentalEvent.TerminationRequested(meta("m-1", 0), "inst-1", "acc-1", "terminated by its owner"),
                new RentalEvent.StopRequested(meta("m-1", 0), "inst-1", "acc-1"),
                new RentalEvent.StartRequested(meta("m-1", 0), "inst-1", "acc-1"),
                new RentalEvent.OwnerSuspended(meta("m-1", 0), "inst-1", "acc-1"),
                new RentalEvent.OwnerReactivated(meta("m-1", 0), "inst-1", "acc-1"),
                new RentalEvent.MeteringPaused(meta("m-1", 13), "inst-1", "the owner's account is suspended"),
                new RentalEvent.MeteringResumed(meta("m-1", 14), "inst-1"),
                new RentalEvent.NoticeIssued(meta("m-1", 12), "inst-1", "acc-1", "maintenance",
                        "maintenance: replacing a fan", AT.plusSeconds(86_400), AT.plusSeconds(93_600)),
                new RentalEvent.WorkIssued(meta("m-1", 9), "work-1", "inst-1", WorkAction.START, List.of(0, 1), 40,
                        CONTAINER),
                new StatusEvent.InstanceStatusChanged(meta("m-1", 10), "inst-1", "acc-1", InstanceStatus.ONLINE,
                        "container running"),
                new UsageEvent.UsageRecorded(meta("m-1", 11), "inst-1", "acc-1", "host-1", AT, AT.plusSeconds(10),
                        CONTRACT, 10, 10, 52_000, 70, 75, 1_250_000, 1),
                new UsageEvent.ReservationPrepaid(meta("m-1", 12), "inst-9", "acc-1", "host-1", RESERVED),
                new UsageEvent.ReservationEnded(meta("m-1", 13), "inst-9", "acc-1", "host-1", RESERVED,
                        AT.plusSeconds(86_400)),
                new LedgerEvent.ReservationCharged(meta("acc-1", 3), "res-1", -518_400_000, "inst-9", "m-1", "host-1",
                        AT, AT.plus(Reservation.MONTH), 129_600_000, 388_800_000),
                new LedgerEvent.ReservationRefunded(meta("acc-1", 4), "ref-1", 497_880_000, "inst-9", "m-1", "host-1",
                        AT.plusSeconds(86_400), -124_470_000, -373_410_000),
                new RentalEvent.PlacementAccepted(meta("m-1", 15), "inst-4", List.of(2, 3)),
                new RentalEvent.BidChangeRequested(meta("m-1", 0), "inst-4", "acc-1", 300_000),
                new RentalEvent.BidChanged(meta("m-1", 16), "inst-4", 300_000, 1, 1_020_000),
                new RentalEvent.RestartRequested(meta("m-1", 0), "inst-1", "acc-1"),
                new RentalEvent.SshKeysChangeRequested(meta("m-1", 0), "inst-1", "acc-1",
                        List.of("ssh-ed25519 AAAAC3Nza new@host")),
                new RentalEvent.SshKeysChanged(meta("m-1", 17), "inst-1", List.of("ssh-ed25519 AAAAC3Nza new@host")));
    }
}
