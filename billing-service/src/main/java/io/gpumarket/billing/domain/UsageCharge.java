package io.gpumarket.billing.domain;

import io.gpumarket.events.usage.UsageEvent.UsageRecorded;

/**
 * The money one usage interval moves: what the client pays for GPUs and storage, the platform's
 * fee and the host's earning. Each is the difference of the cumulative amount after and before the
 * interval, so the sum over any run of intervals equals price × time rounded once.
 */
public record UsageCharge(long gpuMicros, long storageMicros, long feeMicros, long earningMicros) {

    public long chargedMicros() {
        return gpuMicros + storageMicros;
    }

    public static UsageCharge of(UsageRecorded u, FeePolicy fees) {
        long onlineBefore = u.onlineSecondsTotal() - u.onlineSeconds();
        long storageBefore = u.storageSecondsTotal() - u.storageSeconds();
        long gpuAfter = Tariff.gpuCost(u.contract(), u.onlineSecondsTotal());
        long gpuBefore = Tariff.gpuCost(u.contract(), onlineBefore);
        long storageAfter = Tariff.storageCost(u.contract(), u.storageSecondsTotal());
        long storageBefore0 = Tariff.storageCost(u.contract(), storageBefore);
        long chargedAfter = gpuAfter + storageAfter;
        long chargedBefore = gpuBefore + storageBefore0;
        long fee = fees.feeOn(chargedAfter) - fees.feeOn(chargedBefore);
        long charged = chargedAfter - chargedBefore;
        return new UsageCharge(gpuAfter - gpuBefore, storageAfter - storageBefore0, fee, charged - fee);
    }
}
