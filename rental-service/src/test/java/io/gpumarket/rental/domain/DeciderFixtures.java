package io.gpumarket.rental.domain;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.rental.RentalEvent.TerminationRequested;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.rental.Reservation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events to build given-states from. */
public final class DeciderFixtures {
    public static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    public static final Instant END = T0.plusSeconds(30L * 86_400);
    public static final String MACHINE = "m-1";
    public static final long MIN_BID = 100_000;
    public static final String ACCOUNT = "acc-1";
    public static final String HOST = "host-1";
    public static final ContainerSpec CONTAINER =
            new ContainerSpec("ubuntu:22.04", "ssh", null, List.of(), Map.of(), null, List.of("ssh-ed25519 AAAA x"));

    private DeciderFixtures() {}

    public static EventMeta meta(String aggregate) {
        return EventMeta.of(UUID.randomUUID(), aggregate, 0, T0);
    }

    public static Contract contract(int gpus) {
        return new Contract(RentalType.ONDEMAND, "RTX 4090", gpus, 20, 500_000, 72_000, 0, END);
    }

    public static MachineRegistered registered(int gpus) {
        return new MachineRegistered(meta(MACHINE), HOST, new MachineSpec("rig", "RTX 4090", gpus, 24, 32, 256,
                2000, "EU", 1000, 1000, 4, 16, null, null), List.of(new CheckResult("ram", true, "")), "hash");
    }

    public static MachineCameOnline online() {
        return new MachineCameOnline(meta(MACHINE), "test");
    }

    public static ListingPublished listed() {
        return new ListingPublished(meta(MACHINE), HOST, new ListingTerms(500_000, 72_000, 0, 1, MIN_BID, 4000, END));
    }

    public static PlacementRequested placement(String instance, int gpus) {
        return new PlacementRequested(meta(MACHINE), instance, ACCOUNT, HOST, null, contract(gpus), CONTAINER);
    }

    public static PlacementRequested bidding(String instance, int gpus, long bidMicros) {
        return new PlacementRequested(meta(MACHINE), instance, ACCOUNT, HOST, null, new Contract(
                RentalType.INTERRUPTIBLE, "RTX 4090", gpus, 20, bidMicros, 72_000, 0, END), CONTAINER);
    }

    public static Contract reserved(int gpus, int months) {
        Reservation r = Reservation.of(months, 4000, gpus, 500_000, T0);
        return new Contract(RentalType.RESERVED, "RTX 4090", gpus, 20, r.pricePerHourMicros(), 72_000, 0, r.until(), r);
    }

    public static PlacementRequested reservedPlacement(String instance, int gpus, int months) {
        return new PlacementRequested(meta(MACHINE), instance, ACCOUNT, HOST, null, reserved(gpus, months), CONTAINER);
    }

    public static ContainerReported report(String workId, String instance, ContainerState state) {
        return new ContainerReported(meta(MACHINE), workId, instance, state, "");
    }

    public static TerminationRequested termination(String instance) {
        return new TerminationRequested(meta(MACHINE), instance, ACCOUNT, "terminated by its owner");
    }

    public static RentalRequested request(String instance, int gpus) {
        return new RentalRequested(meta(ACCOUNT), instance, ACCOUNT, "offer", MACHINE, HOST, null, contract(gpus),
                CONTAINER);
    }

    public static FundsDeposited deposit(long micros) {
        return new FundsDeposited(meta(ACCOUNT), UUID.randomUUID().toString(), micros);
    }
}
