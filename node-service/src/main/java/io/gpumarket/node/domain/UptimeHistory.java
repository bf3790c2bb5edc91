package io.gpumarket.node.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a machine's reliability is computed from, as its events told it: the spans it was online
 * (the open one from {@code onlineSince}), when it first came online, its failed container starts
 * and its disconnects during rentals. Immutable; each change returns a new history, and
 * {@link #prunedBefore} forgets what lies outside the rolling window.
 */
public record UptimeHistory(Instant firstOnline, Instant onlineSince, List<Span> spans, List<Instant> failedStarts,
        List<Instant> rentalDisconnects) {

    public static final UptimeHistory NEW = new UptimeHistory(null, null, List.of(), List.of(), List.of());

    public UptimeHistory {
        spans = List.copyOf(spans);
        failedStarts = List.copyOf(failedStarts);
        rentalDisconnects = List.copyOf(rentalDisconnects);
    }

    public record Span(Instant from, Instant to) {}

    public UptimeHistory cameOnline(Instant at) {
        if (onlineSince != null) {
            return this;
        }
        return new UptimeHistory(firstOnline == null ? at : firstOnline, at, spans, failedStarts, rentalDisconnects);
    }

    /**
     * Closes the online span; a disconnect during a rental counts once. A machine already offline
     * does not go offline again (two replicas may both say it did), so the history stays as it is.
     */
    public UptimeHistory wentOffline(Instant at, boolean duringRental) {
        if (onlineSince == null) {
            return this;
        }
        List<Span> closed = spans;
        if (at.isAfter(onlineSince)) {
            closed = append(spans, new Span(onlineSince, at));
        }
        return new UptimeHistory(firstOnline, null, closed, failedStarts,
                duringRental ? append(rentalDisconnects, at) : rentalDisconnects);
    }

    public UptimeHistory failedStart(Instant at) {
        return new UptimeHistory(firstOnline, onlineSince, spans, append(failedStarts, at), rentalDisconnects);
    }

    /** Forgets spans that ended and incidents that happened before {@code cutoff}. */
    public UptimeHistory prunedBefore(Instant cutoff) {
        return new UptimeHistory(firstOnline, onlineSince,
                spans.stream().filter(s -> s.to().isAfter(cutoff)).toList(),
                failedStarts.stream().filter(t -> !t.isBefore(cutoff)).toList(),
                rentalDisconnects.stream().filter(t -> !t.isBefore(cutoff)).toList());
    }

    /** Seconds online between {@code from} and {@code to}. */
    public long onlineSeconds(Instant from, Instant to) {
        long total = 0;
        for (Span s : spans) {
            total += overlap(s.from(), s.to(), from, to);
        }
        if (onlineSince != null) {
            total += overlap(onlineSince, to, from, to);
        }
        return total;
    }

    public int failedStartsSince(Instant from) {
        return (int) failedStarts.stream().filter(t -> !t.isBefore(from)).count();
    }

    public int rentalDisconnectsSince(Instant from) {
        return (int) rentalDisconnects.stream().filter(t -> !t.isBefore(from)).count();
    }

    private static long overlap(Instant a, Instant b, Instant from, Instant to) {
        Instant start = a.isAfter(from) ? a : from;
        Instant end = b.isBefore(to) ? b : to;
        return end.isAfter(start) ? Duration.between(start, end).toSeconds() : 0;
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }
}
