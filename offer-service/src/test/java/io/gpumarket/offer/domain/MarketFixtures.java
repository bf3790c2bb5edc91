package io.gpumarket.offer.domain;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.machine.MachineEvent.MaintenanceModeChanged;
import io.gpumarket.events.machine.MachineEvent.SoftwareReported;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.offer.OfferEvent.ListingWithdrawn;
import io.gpumarket.events.machine.MachineEvent.PerformanceScored;
import io.gpumarket.events.machine.PerformanceSource;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Events to build a market from, as node-, offer- and rental-service would write them. */
final class MarketFixtures {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Instant END = NOW.plusSeconds(90L * 86_400);
    static final String HOST = "host-1";

    private MarketFixtures() {}

    static EventMeta meta(String aggregate) {
        return EventMeta.of(UUID.randomUUID(), aggregate, 0, NOW);
    }

    static MachineRegistered registered(String id, String model, int gpus, String region) {
        return new MachineRegistered(meta(id), HOST, new MachineSpec("rig", model, gpus, 24, 8 * gpus, 64 * gpus,
                1000, region, 1000, 500, 4, 16, null, null), List.of(new CheckResult("ram", true, "")), "hash");
    }

    static MachineRegistered failingChecks(String id) {
        return new MachineRegistered(meta(id), HOST, new MachineSpec("rig", "RTX 4090", 4, 24, 8, 16, 100, "EU", 100,
                100, null, null, null, null), List.of(new CheckResult("ram", false, "16 GB < 2 × 96 GB")), "hash");
    }

    static MachineCameOnline online(String id) {
        return new MachineCameOnline(meta(id), "test");
    }

    static MachineWentOffline offline(String id) {
        return new MachineWentOffline(meta(id), "3 heartbeats missed", List.of());
    }

    static MaintenanceModeChanged maintenance(String id, boolean on) {
        return new MaintenanceModeChanged(meta(id), on);
    }

    static SoftwareReported software(String id, String driver, String cuda) {
        return new SoftwareReported(meta(id), driver, cuda);
    }

    /** GPU price per GPU-hour, storage $0.10/GB-month, bandwidth $2/TB, min bid a fifth of the price, 40 % max discount. */
    static ListingPublished listed(String id, long gpuPriceMicros, int minGpus) {
        return listed(id, terms(gpuPriceMicros, minGpus, END));
    }

    static ListingPublished listed(String id, ListingTerms terms) {
        return new ListingPublished(meta(id), HOST, terms);
    }

    static ListingTerms terms(long gpuPriceMicros, int minGpus, Instant end) {
        return new ListingTerms(gpuPriceMicros, 100_000, 2_000_000, minGpus, gpuPriceMicros / 5, 4000, end);
    }

    static ListingWithdrawn unlisted(String id) {
        return new ListingWithdrawn(meta(id));
    }

    static GpusAllocated allocated(String machine, String instance, List<Integer> gpus, RentalType type) {
        return new GpusAllocated(meta(machine), instance, gpus, type);
    }

    /** The DLPerf node-service publishes for a machine from its GPU table at registration. */
    static PerformanceScored scored(String machine, long perGpuCenti) {
        return new PerformanceScored(meta(machine), perGpuCenti, PerformanceSource.TABLE, perGpuCenti, true);
    }

    static GpusReleased released(String machine, String instance, int gpus) {
        return new GpusReleased(meta(machine), instance, IntStream.range(0, gpus).boxed().toList());
    }
}
