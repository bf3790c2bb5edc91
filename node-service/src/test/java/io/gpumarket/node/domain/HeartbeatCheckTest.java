package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.agent.AgentMessage.Heartbeat;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import io.gpumarket.events.machine.MachineSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given a machine of 2 × 24 GB GPUs and 1000 GB disk, when a heartbeat arrives, then it is taken or refused with a reason. */
class HeartbeatCheckTest {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final MachineSpec SPEC = new MachineSpec("rig", "RTX 4090", 2, 24, 16, 128, 1000, "EU", 100, 100, 4, 16,
            null, null);

    private static Heartbeat beat(long seq, Instant at, List<GpuReading> gpus, Long disk, String driver,
            List<String> running, List<ContainerTraffic> traffic) {
        return new Heartbeat(seq, at, gpus, driver, "12.4", disk, running, traffic);
    }

    private static Heartbeat good() {
        return beat(7, NOW.minusSeconds(2), List.of(new GpuReading(0, 97, 20_000, 71, null),
                new GpuReading(1, 0, 0, 40, "Xid 79")), 800L, "550.54.15", List.of("i-1"),
                List.of(new ContainerTraffic("i-1", 10, 20)));
    }

    private static String problem(Heartbeat hb) {
        return HeartbeatCheck.problem(hb, SPEC, NOW).orElse(null);
    }

    @Test
    void aTrueHeartbeatIsTaken() {
        assertThat(problem(good())).isNull();
        assertThat(problem(beat(1, NOW, List.of(), null, null, null, null))).as("nothing but seq and time").isNull();
    }

    @Test
    void absurdValuesAreRefusedWithTheirReason() {
        Heartbeat g = good();
        assertThat(problem(beat(0, g.sampledAt(), g.gpus(), 1L, null, null, null))).contains("seq");
        assertThat(problem(beat(1, null, g.gpus(), 1L, null, null, null))).contains("sampledAt is missing");
        assertThat(problem(beat(1, NOW.plusSeconds(600), g.gpus(), 1L, null, null, null))).contains("future");
        assertThat(problem(beat(1, NOW.minusSeconds(25 * 3600), g.gpus(), 1L, null, null, null))).contains("old");
        assertThat(problem(beat(1, NOW, List.of(new GpuReading(0, 0, 0, 30, null), new GpuReading(1, 0, 0, 30, null),
                new GpuReading(2, 0, 0, 30, null)), 1L, null, null, null))).contains("3 GPUs reported, the machine has 2");
        assertThat(problem(beat(1, NOW, List.of(new GpuReading(5, 0, 0, 30, null)), 1L, null, null, null)))
                .contains("GPU index 5");
        assertThat(problem(beat(1, NOW, List.of(new GpuReading(0, 0, 0, 30, null), new GpuReading(0, 0, 0, 30, null)),
                1L, null, null, null))).contains("reported twice");
        assertThat(problem(beat(1, NOW, List.of(new GpuReading(0, 101, 0, 30, null)), 1L, null, null, null)))
                .contains("utilisation 101");
        assertThat(problem(beat(1, NOW, List.of(new GpuReading(0, 50, 24 * 1024 + 1, 30, null)), 1L, null, null, null)))
                .contains("memory used");
        assertThat(problem(beat(1, NOW, List.of(new GpuReading(0, 50, 100, 400, null)), 1L, null, null, null)))
                .contains("temperature 400");
        assertThat(problem(beat(1, NOW, List.of(), -1L, null, null, null))).contains("disk free -1");
        assertThat(problem(beat(1, NOW, List.of(), 10_001L, null, null, null))).contains("disk free 10001");
        assertThat(problem(beat(1, NOW, List.of(), 1L, "550; rm -rf /", null, null))).contains("not a version");
        assertThat(problem(beat(1, NOW, List.of(), 1L, null, List.of("i 1"), null))).contains("not an id");
        assertThat(problem(beat(1, NOW, List.of(), 1L, null, null, List.of(new ContainerTraffic("i-1", -5, 0)))))
                .contains("negative");
    }
}
