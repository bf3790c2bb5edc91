package io.gpumarket.billing.domain;

import io.gpumarket.events.rental.Contract;

/**
 * The money one step of an instance's cumulative usage moves: what the client pays for GPUs,
 * storage and bandwidth, the platform's fee and the host's earning. Each is the difference of the
 * cumulative amount after and before the step, so the sum over any run of steps equals price ×
 * usage rounded once, and a step that adds no usage (a repeated interval) moves nothing.
 */
public record UsageCharge(long gpuMicros, long storageMicros, long bandwidthMicros, long feeMicros,
        long earningMicros) {

    public long chargedMicros() {
        return gpuMicros + storageMicros + bandwidthMicros;
    }

    public boolean isZero() {
        return chargedMicros() == 0 && feeMicros == 0;
    }

    public static UsageCharge between(Contract c, UsageTotals before, UsageTotals after, FeePolicy fees) {
        long gpu = Tariff.gpuCost(c, after.onlineSeconds()) - Tariff.gpuCost(c, before.onlineSeconds());
        long storage = Tariff.storageCost(c, after.storageSeconds()) - Tariff.storageCost(c, before.storageSeconds());
        long bandwidth = Tariff.bandwidthCost(c, after.trafficBytes()) - Tariff.bandwidthCost(c, before.trafficBytes());
        long fee = fees.feeOn(c, after, charged(c, after)) - fees.feeOn(c, before, charged(c, before));
        long charged = gpu + storage + bandwidth;
        return new UsageCharge(gpu, storage, bandwidth, fee, charged - fee);
    }

    private static long charged(Contract c, UsageTotals t) {
        return Tariff.gpuCost(c, t.onlineSeconds()) + Tariff.storageCost(c, t.storageSeconds())
                + Tariff.bandwidthCost(c, t.trafficBytes());
    }
}
