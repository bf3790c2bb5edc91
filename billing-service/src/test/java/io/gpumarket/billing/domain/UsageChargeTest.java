package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageChargeTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    // $0.333333 per GPU-hour, 2 GPUs, 50 GB at $0.10 per GB-month, $3 per TB
    static final Contract CONTRACT = new Contract(RentalType.ONDEMAND, "RTX 4090", 2, 50, 333_333, 100_000,
            3_000_000, T0.plusSeconds(86_400 * 30));
    private static final FeePolicy FEE_25 = new FeePolicy.FlatShare(2500);

    @Test
    void chargesOverUnevenIntervalsSumToPriceTimesUsageRoundedOnce() {
        var sums = new long[4];
        UsageTotals before = UsageTotals.ZERO;
        // given one hour online in intervals of 7 s with 1.3 MB of traffic each, then 10 minutes stopped
        for (long s = 0; s < 3_600; s += 7) {
            long len = Math.min(7, 3_600 - s);
            UsageTotals after = new UsageTotals(before.onlineSeconds() + len, before.storageSeconds() + len,
                    before.trafficBytes() + 1_300_000);
            add(sums, UsageCharge.between(CONTRACT, before, after, FEE_25));
            before = after;
        }
        for (int i = 0; i < 60; i++) {
            UsageTotals after = new UsageTotals(before.onlineSeconds(), before.storageSeconds() + 10,
                    before.trafficBytes());
            add(sums, UsageCharge.between(CONTRACT, before, after, FEE_25));
            before = after;
        }
        // then the charges equal the whole usage priced and rounded once
        long gpu = 333_333L * 2 * 3_600 / 3_600;
        long storage = Math.floorDiv(100_000L * 50 * (3_600 + 600), 2_592_000L);
        long bandwidth = Math.floorDiv(3_000_000L * before.trafficBytes(), 1_000_000_000_000L);
        assertThat(sums[0]).isEqualTo(gpu + storage + bandwidth);
        assertThat(sums[1]).isEqualTo(Math.floorDiv(sums[0] * 2500, 10_000));
        assertThat(sums[1] + sums[2]).isEqualTo(sums[0]);
        assertThat(sums[3]).isEqualTo(bandwidth);
    }

    @Test
    void aStoppedIntervalChargesOnlyStorage() {
        UsageCharge c = UsageCharge.between(CONTRACT, new UsageTotals(100, 100, 0), new UsageTotals(100, 3_700, 0),
                FEE_25);
        assertThat(c.gpuMicros()).isZero();
        assertThat(c.bandwidthMicros()).isZero();
        assertThat(c.storageMicros()).isEqualTo(Math.floorDiv(100_000L * 50 * 3_700, 2_592_000L)
                - Math.floorDiv(100_000L * 50 * 100, 2_592_000L));
    }

    @Test
    void noNewUsageChargesNothing() {
        UsageTotals t = new UsageTotals(60, 60, 1_000);
        assertThat(UsageCharge.between(CONTRACT, t, t, FEE_25).isZero()).isTrue();
    }

    @Test
    void theGpuClassPolicyTakesTheUsageFeeThenHalfTheRest() {
        var policy = new FeePolicy.GpuClassUsageFee(Map.of(GpuClass.CONSUMER, 50_000L, GpuClass.PROFESSIONAL,
                100_000L, GpuClass.DATACENTER, 250_000L));
        Contract a100 = new Contract(RentalType.ONDEMAND, "A100 SXM4", 1, 0, 2_780_000, 0, 0, CONTRACT.endDate());
        // seed 004: at $2.78 per GPU-hour the host earns (2.78 - 0.25) / 2 = $1.265 per hour
        UsageCharge hour = UsageCharge.between(a100, UsageTotals.ZERO, new UsageTotals(3_600, 3_600, 0), policy);
        assertThat(hour.chargedMicros()).isEqualTo(2_780_000);
        assertThat(hour.earningMicros()).isEqualTo(1_265_000);
        assertThat(hour.feeMicros()).isEqualTo(1_515_000);
        // a GPU priced under its usage fee: the fee is the whole charge, the host earns nothing
        Contract cheap = new Contract(RentalType.ONDEMAND, "H100 SXM", 1, 0, 200_000, 0, 0, CONTRACT.endDate());
        UsageCharge under = UsageCharge.between(cheap, UsageTotals.ZERO, new UsageTotals(3_600, 3_600, 0), policy);
        assertThat(under.feeMicros()).isEqualTo(200_000);
        assertThat(under.earningMicros()).isZero();
    }

    @Test
    void theGpuClassPolicySumsExactlyOverIntervals() {
        var policy = new FeePolicy.GpuClassUsageFee(Map.of(GpuClass.CONSUMER, 50_000L, GpuClass.PROFESSIONAL,
                100_000L, GpuClass.DATACENTER, 250_000L));
        long fee = 0;
        long earning = 0;
        UsageTotals before = UsageTotals.ZERO;
        for (int i = 0; i < 1_000; i++) {
            UsageTotals after = new UsageTotals(before.onlineSeconds() + 3, before.storageSeconds() + 3, 0);
            UsageCharge c = UsageCharge.between(CONTRACT, before, after, policy);
            fee += c.feeMicros();
            earning += c.earningMicros();
            before = after;
        }
        UsageCharge whole = UsageCharge.between(CONTRACT, UsageTotals.ZERO, before, policy);
        assertThat(fee).isEqualTo(whole.feeMicros());
        assertThat(earning).isEqualTo(whole.earningMicros());
    }

    @Test
    void feeBasisPointsAreBounded() {
        assertThatThrownBy(() -> new FeePolicy.FlatShare(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeePolicy.GpuClassUsageFee(Map.of(GpuClass.CONSUMER, 1L)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pricesTimesLargeTotalsDoNotOverflow() {
        // 1 PB at $999 per TB: the product passes 2^63, the result does not
        assertThat(Tariff.mulDiv(999_000_000L, 1_000_000_000_000_000L, 1_000_000_000_000L))
                .isEqualTo(999_000_000_000L);
        assertThat(Tariff.mulDiv(7, 10, 3)).isEqualTo(23);
    }

    private static void add(long[] sums, UsageCharge c) {
        sums[0] += c.chargedMicros();
        sums[1] += c.feeMicros();
        sums[2] += c.earningMicros();
        sums[3] += c.bandwidthMicros();
    }
}
