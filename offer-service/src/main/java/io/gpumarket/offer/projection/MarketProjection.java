package io.gpumarket.offer.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.MachineCameOnline;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.machine.MachineEvent.MachineWentOffline;
import io.gpumarket.events.machine.MachineSpec;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.offer.OfferEvent.ListingWithdrawn;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The searchable market: machines and their health from {@code gpumarket.machines}, listings from
 * {@code gpumarket.offers}, and GPU allocations from {@code gpumarket.rentals}, so an allocation
 * takes its GPUs out of search as soon as it is on the log, and a release puts them back. Each topic
 * writes tables of its own, so a rebuild that interleaves the topics differently agrees.
 */
@ApplicationScoped
public class MarketProjection implements Projection {
    private final EntityManager em;

    public MarketProjection(EntityManager em) {
        this.em = em;
    }
    @Override
    public String name() {
        return "offer-market";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.MACHINES, Topics.OFFERS, Topics.RENTALS);
    }

    @Override
    public List<String> tables() {
        return List.of("market_machine", "market_listing", "gpu_hold", "gpu_release");
    }

    @Override
    public void apply(Event event, Position position) {
        if (event instanceof MachineRegistered r) {
            register(r);
        } else if (event instanceof MachineCameOnline || event instanceof MachineWentOffline) {
            MarketMachineRow m = MarketMachineRow.findById(event.aggregateId());
            if (m != null) {
                m.online = event instanceof MachineCameOnline;
            }
        } else if (event instanceof ListingPublished p) {
            MarketListingRow found = MarketListingRow.findById(p.aggregateId());
            MarketListingRow l = found == null ? new MarketListingRow() : found;
            l.machineId = p.aggregateId();
            l.listed = true;
            l.gpuPrice = p.terms().gpuPricePerHourMicros();
            l.storagePrice = p.terms().storagePricePerGbMonthMicros();
            l.bandwidthPrice = p.terms().bandwidthPricePerTbMicros();
            l.minGpus = p.terms().minGpus();
            l.minBid = p.terms().minBidPerHourMicros();
            l.reservedDiscountBps = p.terms().reservedDiscountMaxBps();
            l.endDate = p.terms().endDate();
            if (found == null) {
                l.persist();
            }
        } else if (event instanceof ListingWithdrawn) {
            MarketListingRow l = MarketListingRow.findById(event.aggregateId());
            if (l != null) {
                l.listed = false;
            }
        } else if (event instanceof GpusAllocated a) {
            if (GpuHoldRow.findById(a.instanceId()) == null && em.find(GpuReleaseRow.class, a.instanceId()) == null) {
                GpuHoldRow hold = new GpuHoldRow();
                hold.instanceId = a.instanceId();
                hold.machineId = a.aggregateId();
                hold.gpus = a.gpuIndexes().size();
                hold.persist();
            }
        } else if (event instanceof GpusReleased r) {
            GpuHoldRow.deleteById(r.instanceId());
            if (em.find(GpuReleaseRow.class, r.instanceId()) == null) {
                GpuReleaseRow release = new GpuReleaseRow();
                release.instanceId = r.instanceId();
                release.persist();
            }
        }
    }

    private static void register(MachineRegistered r) {
        if (MarketMachineRow.findById(r.aggregateId()) != null) {
            return;
        }
        MachineSpec s = r.spec();
        MarketMachineRow m = new MarketMachineRow();
        m.id = r.aggregateId();
        m.hostAccountId = r.hostAccountId();
        m.gpuModel = s.gpuModel();
        m.gpuCount = s.gpuCount();
        m.gpuRamGb = s.gpuRamGb();
        m.cpuCores = s.cpuCores();
        m.ramGb = s.ramGb();
        m.diskGb = s.diskGb();
        m.region = s.region();
        m.inetUpMbps = s.inetUpMbps();
        m.inetDownMbps = s.inetDownMbps();
        String failed = r.checks().stream().filter(c -> !c.ok()).map(CheckResult::name)
                .collect(Collectors.joining(","));
        m.failedChecks = failed.isEmpty() ? null : failed;
        m.persist();
    }
}
