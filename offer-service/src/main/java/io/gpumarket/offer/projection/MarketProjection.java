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
import java.util.List;
import java.util.stream.Collectors;

/**
 * The searchable market: machines and their health from {@code gpumarket.machines}, listings from
 * {@code gpumarket.offers}, and GPU allocations from {@code gpumarket.rentals}, so an allocation
 * takes its GPUs out of search as soon as it is on the log, and a release puts them back.
 */
@ApplicationScoped
public class MarketProjection implements Projection {
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
        return List.of("market_machine", "gpu_hold");
    }

    @Override
    public void apply(Event event, Position position) {
        if (event instanceof MachineRegistered r) {
            register(r);
            return;
        }
        MarketMachineRow m = MarketMachineRow.findById(event.aggregateId());
        if (m == null) {
            return;
        }
        if (event instanceof MachineCameOnline) {
            m.online = true;
        } else if (event instanceof MachineWentOffline) {
            m.online = false;
        } else if (event instanceof ListingPublished p) {
            m.listed = true;
            m.gpuPrice = p.terms().gpuPricePerHourMicros();
            m.storagePrice = p.terms().storagePricePerGbMonthMicros();
            m.bandwidthPrice = p.terms().bandwidthPricePerTbMicros();
            m.minGpus = p.terms().minGpus();
            m.minBid = p.terms().minBidPerHourMicros();
            m.reservedDiscountBps = p.terms().reservedDiscountMaxBps();
            m.endDate = p.terms().endDate();
        } else if (event instanceof ListingWithdrawn) {
            m.listed = false;
        } else if (event instanceof GpusAllocated a) {
            if (GpuHoldRow.findById(a.instanceId()) == null) {
                GpuHoldRow hold = new GpuHoldRow();
                hold.instanceId = a.instanceId();
                hold.machineId = m.id;
                hold.gpus = a.gpuIndexes().size();
                hold.persist();
                m.allocatedGpus += hold.gpus;
            }
        } else if (event instanceof GpusReleased r) {
            GpuHoldRow hold = GpuHoldRow.findById(r.instanceId());
            if (hold != null) {
                m.allocatedGpus -= hold.gpus;
                hold.delete();
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
