package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageChargeTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    // $0.333333 per GPU-hour, 2 GPUs, 50 GB at $0.10 per GB-month
    private static final Contract CONTRACT =
            new Contract(RentalType.ONDEMAND, 2, 50, 333_333, 100_000, 0, T0.plusSeconds(86_400 * 30));
    private static final FeePolicy FEE_25 = new FeePolicy(2500);

    @Test
    void chargesAcrossIntervalsSumToPriceTimesTimeRoundedOnce() {
        long charged = 0;
        long fees = 0;
        long earnings = 0;
        long online = 0;
        long storage = 0;
        // given 1 hour online in uneven intervals of 7 s, then 10 minutes stopped (storage only)
        for (long s = 0; s < 3_600; s += 7) {
            long len = Math.min(7, 3_600 - s);
            online += len;
            storage += len;
            UsageCharge c = UsageCharge.of(usage(len, len, online, storage), FEE_25);
            charged += c.chargedMicros();
            fees += c.feeMicros();
            earnings += c.earningMicros();
        }
        for (int i = 0; i < 60; i++) {
            storage += 10;
            UsageCharge c = UsageCharge.of(usage(0, 10, online, storage), FEE_25);
            charged += c.chargedMicros();
            fees += c.feeMicros();
            earnings += c.earningMicros();
        }
        long gpuExact = 333_333L * 2 * 3_600 / 3_600;
        long storageExact = Math.floorDiv(100_000L * 50 * (3_600 + 600), 2_592_000L);
        assertThat(charged).isEqualTo(gpuExact + storageExact);
        assertThat(fees).isEqualTo(Math.floorDiv(charged * 2500, 10_000));
        assertThat(fees + earnings).isEqualTo(charged);
    }

    @Test
    void aStoppedIntervalChargesOnlyStorage() {
        UsageCharge c = UsageCharge.of(usage(0, 3_600, 100, 3_600), FEE_25);
        assertThat(c.gpuMicros()).isZero();
        assertThat(c.storageMicros()).isEqualTo(Math.floorDiv(100_000L * 50 * 3_600, 2_592_000L));
    }

    @Test
    void feeBasisPointsAreBounded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FeePolicy(10_001))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static UsageRecorded usage(long onlineSeconds, long storageSeconds, long onlineTotal, long storageTotal) {
        return new UsageRecorded(EventMeta.of(UUID.randomUUID(), "m-1", 1, T0), "i-1", "acc-1", "host-1", T0,
                T0.plusSeconds(Math.max(onlineSeconds, storageSeconds)), CONTRACT, onlineSeconds, storageSeconds,
                onlineTotal, storageTotal);
    }
}
