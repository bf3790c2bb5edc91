package io.gpumarket.offer.domain;

import io.gpumarket.events.offer.OfferIds;
import java.time.Instant;

/**
 * One offer: a machine and a chunk size, priced for one {@link Quote}. CPU cores and RAM are the
 * chunk's share of the machine. {@code preempts} marks a chunk that needs GPUs interruptible
 * instances hold now. A search reuses one instance while it scans and keeps {@link #copy()}s of
 * the offers it returns, so it allocates only for results.
 */
public final class Offer {
    private MarketMachine machine;
    private int numGpus;
    private long pricePerHour;
    private long totalPerHour;
    private boolean preempts;
    private long nowEpochSecond;

    Offer() {}

    Offer set(MarketMachine m, int n, long price, long total, boolean preempting, long now) {
        machine = m;
        numGpus = n;
        pricePerHour = price;
        totalPerHour = total;
        preempts = preempting;
        nowEpochSecond = now;
        return this;
    }

    Offer copy() {
        return new Offer().set(machine, numGpus, pricePerHour, totalPerHour, preempts, nowEpochSecond);
    }

    public String id() {
        return OfferIds.of(machine.id(), numGpus);
    }

    public MarketMachine machine() {
        return machine;
    }

    public int numGpus() {
        return numGpus;
    }

    public int cpuCores() {
        return machine.cpuCores() * numGpus / machine.gpuCount();
    }

    public int ramGb() {
        return machine.ramGb() * numGpus / machine.gpuCount();
    }

    public long pricePerHourMicros() {
        return pricePerHour;
    }

    public long totalPerHourMicros() {
        return totalPerHour;
    }

    /** The chunk's minimum bid per hour (the per-GPU minimum times its GPUs). */
    public long minBidPerHourMicros() {
        return machine.listing().minBidPerHourMicros() * numGpus;
    }

    public boolean preempts() {
        return preempts;
    }

    public Instant endDate() {
        return machine.listing().endDate();
    }

    /** Days left before the listing ends, in hundredths. */
    public long durationCentiDays() {
        return Math.max(0, (machine.listing().endDate().getEpochSecond() - nowEpochSecond) * 100 / 86_400);
    }

    /** The chunk's DLPerf in hundredths, or null when the GPU model has no estimate. */
    public Long dlperfCenti() {
        return machine.dlperfPerGpuCenti() == null ? null : machine.dlperfPerGpuCenti() * numGpus;
    }

    /** DLPerf per dollar of {@code totalPerHour}, in hundredths; null without a DLPerf. */
    public Long dlperfPerDollarCenti() {
        Long dlperf = dlperfCenti();
        return dlperf == null ? null : dlperf * 1_000_000 / Math.max(1, totalPerHour);
    }

    /**
     * The default ranking: DLPerf per dollar discounted by the square of reliability, so a cheap
     * machine that often fails sinks below a steady one (in hundredths; 0 without a DLPerf).
     */
    public long score() {
        Long perDollar = dlperfPerDollarCenti();
        if (perDollar == null) {
            return 0;
        }
        long r = machine.reliabilityPpm() / 1000;
        return perDollar * r * r / 1_000_000;
    }
}
