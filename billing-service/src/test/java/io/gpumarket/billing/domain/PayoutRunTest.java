package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.ledger.LedgerEvent.PayoutBooked;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayoutRunTest {
    private static final long MINIMUM = 10_000_000;

    @Test
    void theCutoffIsTheLatestFridayMidnightUtc() {
        // 2026-11-27 is a Friday
        assertThat(PayoutRun.latestCutoff(Instant.parse("2026-12-02T06:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(PayoutRun.latestCutoff(Instant.parse("2026-11-27T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(PayoutRun.latestCutoff(Instant.parse("2026-11-26T23:59:59Z")))
                .isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    }

    @Test
    void paysEveryHostAtOrAboveTheMinimumAllItsUnpaidEarnings() {
        Instant cutoff = Instant.parse("2026-11-27T00:00:00Z");
        Instant now = cutoff.plusSeconds(3_600);
        List<PayoutBooked> out = PayoutRun.decide(Map.of("h-rich", 12_345_678L, "h-exact", MINIMUM, "h-poor",
                9_999_999L, "h-none", 0L), cutoff, MINIMUM, now);
        assertThat(out).extracting(p -> p.aggregateId(), PayoutBooked::amountMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("h-exact", -MINIMUM),
                        org.assertj.core.groups.Tuple.tuple("h-rich", -12_345_678L));
        assertThat(out).allSatisfy(p -> {
            assertThat(p.periodEnd()).isEqualTo(cutoff);
            assertThat(p.meta().occurredAt()).isEqualTo(now);
        });
    }

    @Test
    void theSameWeekRunTwiceBooksTheSameEntries() {
        Instant cutoff = Instant.parse("2026-11-27T00:00:00Z");
        var first = PayoutRun.decide(Map.of("h", 20_000_000L), cutoff, MINIMUM, cutoff.plusSeconds(3_600));
        var again = PayoutRun.decide(Map.of("h", 20_000_000L), cutoff, MINIMUM, cutoff.plusSeconds(7_200));
        assertThat(again.get(0).entryId()).isEqualTo(first.get(0).entryId());
        var nextWeek = PayoutRun.decide(Map.of("h", 20_000_000L), cutoff.plusSeconds(7 * 86_400), MINIMUM,
                cutoff.plusSeconds(7 * 86_400 + 3_600));
        assertThat(nextWeek.get(0).entryId()).isNotEqualTo(first.get(0).entryId());
    }
}
