package io.gpumarket.billing.domain;

/**
 * An instance's cumulative usage: seconds online, seconds its disk was kept, bytes its container
 * sent and received. Totals only grow, so the later of two readings is their component-wise maximum.
 */
public record UsageTotals(long onlineSeconds, long storageSeconds, long trafficBytes) {
    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0);

    public UsageTotals max(UsageTotals o) {
        return new UsageTotals(Math.max(onlineSeconds, o.onlineSeconds), Math.max(storageSeconds, o.storageSeconds),
                Math.max(trafficBytes, o.trafficBytes));
    }
}
