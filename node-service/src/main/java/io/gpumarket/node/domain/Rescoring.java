package io.gpumarket.node.domain;

import io.gpumarket.events.machine.Verification;
import java.time.Instant;
import java.util.Optional;

/**
 * What to publish about one machine at a moment: a new reliability score when it moved by at
 * least {@link #MIN_CHANGE_PPM} from the one last published (or its incident counts changed, or
 * none was published yet), and a verification change when {@link VerificationPolicy} says so,
 * judged with the new score.
 */
public record Rescoring(Reliability reliability, VerificationPolicy verification) {
    public static final long MIN_CHANGE_PPM = 1_000;

    /** The machine as the log last told it. */
    public record Machine(UptimeHistory history, Long publishedReliabilityPpm, int publishedFailedStarts,
            int publishedRentalDisconnects, Verification stage, Instant stageSince, boolean checksPass,
            Boolean benchmarkWithinRange, Instant benchmarkAt) {}

    public record Outcome(Optional<Reliability.Score> score, Optional<VerificationPolicy.Change> verification) {
        public boolean isEmpty() {
            return score.isEmpty() && verification.isEmpty();
        }
    }

    public Outcome decide(Machine m, Instant now) {
        Reliability.Score s = reliability.of(m.history(), now);
        boolean changed = m.publishedReliabilityPpm() == null
                || Math.abs(s.reliabilityPpm() - m.publishedReliabilityPpm()) >= MIN_CHANGE_PPM
                || s.failedStarts() != m.publishedFailedStarts()
                || s.rentalDisconnects() != m.publishedRentalDisconnects();
        var facts = new VerificationPolicy.Facts(m.stage(), m.stageSince(), m.checksPass(), m.benchmarkWithinRange(),
                m.benchmarkAt(), s.reliabilityPpm(), m.history());
        return new Outcome(changed ? Optional.of(s) : Optional.empty(), verification.decide(facts, now));
    }
}
