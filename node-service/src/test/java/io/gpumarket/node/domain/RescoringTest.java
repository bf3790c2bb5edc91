package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.machine.Verification;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Given what was last published about a machine, at a later moment, then a new score is published only when it moved. */
class RescoringTest {
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    static final Rescoring RESCORING = new Rescoring(Reliability.DEFAULT, VerificationPolicy.DEFAULT);

    static Rescoring.Machine machine(Long published, int failed, UptimeHistory h) {
        return new Rescoring.Machine(h, published, failed, 0, Verification.UNVERIFIED, null, true, null, null);
    }

    @Test
    void theFirstScoreIsAlwaysPublishedThenOnlyMovesOfATenthOfAPercent() {
        UptimeHistory h = UptimeHistory.NEW.cameOnline(T0);
        var first = RESCORING.decide(machine(null, 0, h), T0);
        assertThat(first.score()).isPresent();
        assertThat(first.score().orElseThrow().reliabilityPpm()).isEqualTo(900_000);
        assertThat(RESCORING.decide(machine(900_000L, 0, h), T0.plusSeconds(60)).isEmpty())
                .as("a minute online moves it by less than 0.001").isTrue();
        var hourLater = RESCORING.decide(machine(900_000L, 0, h), T0.plusSeconds(3600));
        assertThat(hourLater.score()).isPresent();
        assertThat(RESCORING.decide(machine(hourLater.score().orElseThrow().reliabilityPpm(), 0, h.failedStart(T0)),
                T0.plusSeconds(3600)).score()).as("a new failed start is published at once").isPresent();
    }
}
