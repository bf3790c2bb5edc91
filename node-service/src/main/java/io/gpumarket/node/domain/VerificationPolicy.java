package io.gpumarket.node.domain;

import io.gpumarket.events.machine.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a machine moves between verification stages. {@code unverified} or {@code deverified} →
 * {@code verified}: its hardware checks pass, its latest benchmark is within range (and, after a
 * deverification, newer than it), it has been online at least {@code verifyAfter} (since the
 * deverification, if any, within the reliability window) and its reliability is at least
 * {@code minReliabilityPpm}. Any stage → {@code deverified} on an anomaly: a benchmark out of range,
 * or, once verified, reliability below {@code deverifyBelowPpm}.
 */
public record VerificationPolicy(Duration verifyAfter, long minReliabilityPpm, long deverifyBelowPpm) {

    /** A day online, reliability 0.9 to be verified, below 0.8 deverified. */
    public static final VerificationPolicy DEFAULT = new VerificationPolicy(Duration.ofHours(24), 900_000, 800_000);

    /** What the decision reads: the current stage and since when, and the machine's state. */
    public record Facts(Verification stage, Instant stageSince, boolean checksPass, Boolean benchmarkWithinRange,
            Instant benchmarkAt, long reliabilityPpm, UptimeHistory history) {}

    public record Change(Verification stage, String reason) {}

    public Optional<Change> decide(Facts f, Instant now) {
        if (Boolean.FALSE.equals(f.benchmarkWithinRange()) && f.stage() != Verification.DEVERIFIED) {
            return Optional.of(new Change(Verification.DEVERIFIED, "benchmark outside the expected range"));
        }
        if (f.stage() == Verification.VERIFIED) {
            if (f.reliabilityPpm() < deverifyBelowPpm) {
                return Optional.of(new Change(Verification.DEVERIFIED, "reliability " + ppm(f.reliabilityPpm())
                        + " below " + ppm(deverifyBelowPpm)));
            }
            return Optional.empty();
        }
        boolean deverified = f.stage() == Verification.DEVERIFIED;
        Instant onlineFrom = deverified && f.stageSince() != null ? f.stageSince() : Instant.EPOCH;
        boolean freshBenchmark = Boolean.TRUE.equals(f.benchmarkWithinRange())
                && (!deverified || f.benchmarkAt() != null && f.benchmarkAt().isAfter(onlineFrom));
        long online = f.history().onlineSeconds(onlineFrom, now);
        if (f.checksPass() && freshBenchmark && online >= verifyAfter.toSeconds()
                && f.reliabilityPpm() >= minReliabilityPpm) {
            return Optional.of(new Change(Verification.VERIFIED, online / 3600 + " h online, reliability "
                    + ppm(f.reliabilityPpm()) + ", benchmark in range"));
        }
        return Optional.empty();
    }

    static String ppm(long ppm) {
        return java.math.BigDecimal.valueOf(ppm, 6).stripTrailingZeros().toPlainString();
    }
}
