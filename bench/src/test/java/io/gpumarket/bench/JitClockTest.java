package io.gpumarket.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JitClockTest {

    @Test
    void readsThisJvmsCompileTimeFromItsPerformanceCounters() {
        double before = JitClock.compileSeconds(ProcessHandle.current().pid());
        long sink = 0;
        for (int round = 0; round < 200_000; round++) {
            sink += Long.toString(round * 31L).hashCode() ^ List.of(round, sink).hashCode();
        }
        double after = JitClock.compileSeconds(ProcessHandle.current().pid());

        assertThat(sink).isNotZero();
        assertThat(before).isPositive();
        assertThat(after).isGreaterThan(before);
    }

    @Test
    void aProcessWithoutCountersCountsNothing() {
        assertThat(JitClock.compileSeconds(Long.MAX_VALUE)).isZero();
    }

    @Test
    void refusesABufferThatIsNotPerformanceData() {
        assertThatThrownBy(() -> JitClock.longCounters(ByteBuffer.wrap(new byte[64]), List.of("java.ci.totalTime")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coresAreTheCompileSecondsPerSecondOfEachGroup() {
        Map<String, Object> cores = JitClock.cores(Map.of("kafka", 10.0), Map.of("kafka", 13.0), 60);

        assertThat(cores).containsEntry("kafka", 0.05);
    }
}
