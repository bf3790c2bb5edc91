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
    /** DLPerf, DLPerf per dollar (hundredths; {@link #MISSING} without an estimate) and score, computed once per offer. */
    private long dlperf;
    private long perDollar;
    private long score;
    private boolean derived;

    /** The value of a number that an offer does not have. */
    static final long MISSING = Long.MIN_VALUE;

    Offer() {}

    Offer set(MarketMachine m, int n, long price, long total, boolean preempting, long now) {
        machine = m;
        numGpus = n;
        pricePerHour = price;
        totalPerHour = total;
        preempts = preempting;
        nowEpochSecond = now;
        derived = false;
        return this;
    }

    /** Prices the chunk (a scan sets the size first and prices only chunks whose size passes). */
    Offer price(long price, long total) {
        pricePerHour = price;
        totalPerHour = total;
        derived = false;
        return this;
    }

    private void derive() {
        if (derived) {
            return;
        }
        Long perGpu = machine.dlperfPerGpuCenti();
        if (perGpu == null) {
            dlperf = MISSING;
            perDollar = MISSING;
            score = 0;
        } else {
            dlperf = perGpu * numGpus;
            perDollar = dlperf * 1_000_000 / Math.max(1, totalPerHour);
            long r = machine.reliabilityPpm() / 1000;
            score = perDollar * r * r / 1_000_000;
        }
        derived = true;
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
        derive();
        return dlperf == MISSING ? null : dlperf;
    }

    /** DLPerf per dollar of {@code totalPerHour}, in hundredths; null without a DLPerf. */
    public Long dlperfPerDollarCenti() {
        derive();
        return perDollar == MISSING ? null : perDollar;
    }

    long dlperfOrMissing() {
        derive();
        return dlperf;
    }

    long dlperfPerDollarOrMissing() {
        derive();
        return perDollar;
    }

    /**
     * The default ranking: DLPerf per dollar discounted by the square of reliability, so a cheap
     * machine that often fails sinks below a steady one (in hundredths; 0 without a DLPerf).
     */
    public long score() {
        derive();
        return score;
    }
}
