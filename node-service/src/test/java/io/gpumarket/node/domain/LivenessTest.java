package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offline detection on a clock the test moves: 3 missed beats of 5 s and the machine has expired. */
class LivenessTest {
    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    final Liveness liveness = new Liveness(Duration.ofSeconds(15));

    @Test
    void aMachineExpiresOnceAfterTheMissedBeatsAndComesBackWithTheNextBeat() {
        assertThat(liveness.beat("m-1", T0)).as("first sign of life: came online").isTrue();
        assertThat(liveness.beat("m-1", T0.plusSeconds(5))).as("already alive").isFalse();
        assertThat(liveness.expire(T0.plusSeconds(20), Map.of())).as("15 s since the last beat, not more").isEmpty();
        assertThat(liveness.expire(T0.plusSeconds(21), Map.of())).containsExactly("m-1");
        assertThat(liveness.expire(T0.plusSeconds(60), Map.of())).as("expired once").isEmpty();
        assertThat(liveness.alive("m-1")).isFalse();
        assertThat(liveness.beat("m-1", T0.plusSeconds(61))).as("back: came online again").isTrue();
    }

    @Test
    void machinesTheLogSaysAreOnlineGetTheSameGrace() {
        liveness.beat("m-2", T0.plusSeconds(10));
        liveness.assumeAlive("m-1", T0);
        liveness.assumeAlive("m-2", T0);
        assertThat(liveness.expire(T0.plusSeconds(16), Map.of())).containsExactly("m-1");
        assertThat(liveness.expire(T0.plusSeconds(26), Map.of())).containsExactly("m-2");
    }

    @Test
    void aMachineHeardAtAnotherReplicaWithinTheGraceStaysAliveFromThatBeat() {
        liveness.assumeAlive("m-1", T0);
        liveness.assumeAlive("m-2", T0);
        assertThat(liveness.silent(T0.plusSeconds(16))).containsExactly("m-1", "m-2");

        assertThat(liveness.expire(T0.plusSeconds(16), Map.of("m-1", T0.plusSeconds(14), "m-2", T0)))
                .as("m-1 beat on the log 2 s ago; m-2's last beat on the log is as old as the grace")
                .containsExactly("m-2");
        assertThat(liveness.alive("m-1")).isTrue();
        assertThat(liveness.silent(T0.plusSeconds(29))).as("alive from its beat on the log").isEmpty();
        assertThat(liveness.expire(T0.plusSeconds(30), Map.of("m-1", T0.plusSeconds(14))))
                .as("no beat anywhere since").containsExactly("m-1");
        assertThat(liveness.beat("m-1", T0.plusSeconds(31))).as("back: came online again").isTrue();
    }
}
