package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChargedUsageTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private final ChargedUsage charged = new ChargedUsage();

    @Test
    void eachIntervalStepsFromWhatWasChargedToItsTotals() {
        assertThat(charged.record(usage(10, 10, 100))).isEqualTo(step(0, 0, 0, 10, 10, 100));
        assertThat(charged.record(usage(20, 20, 150))).isEqualTo(step(10, 10, 100, 20, 20, 150));
    }

    @Test
    void aRepeatedOrOlderIntervalStepsNowhere() {
        UsageRecorded first = usage(10, 10, 100);
        charged.record(first);
        charged.record(usage(20, 20, 150));
        ChargedUsage.Step repeat = charged.record(first);
        assertThat(repeat.before()).isEqualTo(repeat.after());
        ChargedUsage.Step same = charged.record(usage(20, 20, 150));
        assertThat(same.before()).isEqualTo(same.after());
        assertThat(charged.lastStep("i-1").after()).isEqualTo(new UsageTotals(20, 20, 150));
    }

    @Test
    void aNewMeterAfterABidChangeStartsFromZeroAndLeavesTheOldOneAsCharged() {
        charged.record(usage(100, 100, 0));
        ChargedUsage.Step first = charged.record(usage(5, 5, 0, 1));
        assertThat(first).isEqualTo(step(0, 0, 0, 5, 5, 0));
        assertThat(charged.lastStep("i-1").after()).isEqualTo(new UsageTotals(100, 100, 0));
        assertThat(charged.lastStep("i-1#1").after()).isEqualTo(new UsageTotals(5, 5, 0));
    }

    @Test
    void aReservationEventIsSeenOnceThenAsARepeat() {
        charged.recordReservation("prepaid", "i-1");
        assertThat(charged.reservationSeenOnce("prepaid", "i-1")).isTrue();
        assertThat(charged.reservationSeenOnce("ended", "i-1")).isFalse();
        charged.recordReservation("prepaid", "i-1");
        assertThat(charged.reservationSeenOnce("prepaid", "i-1")).isFalse();
    }

    private static ChargedUsage.Step step(long o1, long s1, long t1, long o2, long s2, long t2) {
        return new ChargedUsage.Step(new UsageTotals(o1, s1, t1), new UsageTotals(o2, s2, t2));
    }

    private static UsageRecorded usage(long online, long storage, long traffic) {
        return usage(online, storage, traffic, 0);
    }

    private static UsageRecorded usage(long online, long storage, long traffic, int meter) {
        return new UsageRecorded(EventMeta.of(UUID.randomUUID(), "m-1", 1, T0), "i-1", "acc", "host", T0,
                T0.plusSeconds(10), UsageChargeTest.CONTRACT, 10, 10, 0, online, storage, traffic, meter);
    }
}
