package io.gpumarket.billing.domain;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.ledger.LedgerEvent.PayoutBooked;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The weekly host payout (seed 002): earnings accrue until the week's cutoff, Friday 00:00 UTC;
 * each host whose unpaid earnings before the cutoff reach the minimum ($10 by default) is paid all
 * of them. A payout's entry id derives from the host and the cutoff, so running the same week
 * twice books nothing new.
 */
public final class PayoutRun {
    public static final DayOfWeek CUTOFF_DAY = DayOfWeek.FRIDAY;

    private PayoutRun() {}

    /** The latest cutoff at or before {@code now}. */
    public static Instant latestCutoff(Instant now) {
        return now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.previousOrSame(CUTOFF_DAY)).toInstant();
    }

    /**
     * The payouts for the week ending at {@code cutoff}, given each host's unpaid earnings before it
     * (earnings booked before the cutoff, less every payout so far), booked at {@code now}.
     */
    public static List<PayoutBooked> decide(Map<String, Long> unpaidBeforeCutoff, Instant cutoff, long minimumMicros,
            Instant now) {
        List<PayoutBooked> out = new ArrayList<>();
        new TreeMap<>(unpaidBeforeCutoff).forEach((host, unpaid) -> {
            if (unpaid >= minimumMicros && unpaid > 0) {
                String entryId = entryId(host, cutoff);
                out.add(new PayoutBooked(new EventMeta(UUID.fromString(entryId), host, 0, now, null), entryId, -unpaid,
                        cutoff));
            }
        });
        return out;
    }

    public static String entryId(String host, Instant cutoff) {
        return UUID.nameUUIDFromBytes(("payout:" + host + ":" + cutoff).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
