package io.gpumarket.node.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The reliability score, in millionths, from a machine's {@link UptimeHistory} at a moment:
 * over the rolling {@code window} (from its first time online at the latest), uptime is the share
 * of seconds online with {@code priorWeight} seconds at the {@code priorPpm} share blended in, so
 * a new machine starts at the prior and earns or loses it with time online; each failed container
 * start in the window then multiplies it by {@code failedStartFactorPpm}, each disconnect during a
 * rental by {@code disconnectFactorPpm}. Integer arithmetic only: the same history and moment give
 * the same score on any replica.
 */
public record Reliability(Duration window, long priorPpm, Duration priorWeight, long failedStartFactorPpm,
        long disconnectFactorPpm) {

    public static final long ONE = 1_000_000;

    /** 30 days; a prior of 0.9 worth one day; 0.98 per failed start, 0.95 per disconnect during a rental. */
    public static final Reliability DEFAULT = new Reliability(Duration.ofDays(30), 900_000, Duration.ofDays(1),
            980_000, 950_000);

    public record Score(long reliabilityPpm, long uptimePpm, int failedStarts, int rentalDisconnects) {}

    public Score of(UptimeHistory h, Instant now) {
        Instant windowStart = now.minus(window);
        int failed = h.failedStartsSince(windowStart);
        int disconnects = h.rentalDisconnectsSince(windowStart);
        long uptime = priorPpm;
        if (h.firstOnline() != null && now.isAfter(h.firstOnline())) {
            Instant from = h.firstOnline().isAfter(windowStart) ? h.firstOnline() : windowStart;
            long observed = Duration.between(from, now).toSeconds();
            long online = h.onlineSeconds(from, now);
            long prior = priorWeight.toSeconds();
            uptime = (online * ONE + priorPpm * prior) / (observed + prior);
        }
        long score = uptime;
        for (int i = 0; i < failed; i++) {
            score = score * failedStartFactorPpm / ONE;
        }
        for (int i = 0; i < disconnects; i++) {
            score = score * disconnectFactorPpm / ONE;
        }
        return new Score(score, uptime, failed, disconnects);
    }
}
