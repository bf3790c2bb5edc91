package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Given a machine registered as an RTX 4090 (37.00 expected), when its benchmark reports, then it is in range or audited. */
class PerformanceAuditTest {
    @Test
    void aFigureNearTheModelsIsInRange() {
        var v = PerformanceAudit.judge("RTX 4090", "RTX 4090", 3650);
        assertThat(v.withinRange()).isTrue();
        assertThat(v.expectedPerGpuCenti()).isEqualTo(3700);
        assertThat(v.anomaly()).isNull();
        assertThat(PerformanceAudit.judge("RTX 4090", "rtx  4090", 2590).withinRange()).as("70 %, any spelling").isTrue();
        assertThat(PerformanceAudit.judge("RTX 4090", null, 4810).withinRange()).as("130 %").isTrue();
    }

    @Test
    void farOutsideTheRangeOrAnotherModelIsAnAnomaly() {
        assertThat(PerformanceAudit.judge("RTX 4090", "RTX 4090", 9000).anomaly())
                .isEqualTo("benchmark 90.00 DLPerf per GPU, expected 25.90 to 48.10 for RTX 4090");
        assertThat(PerformanceAudit.judge("RTX 4090", "RTX 4090", 2589).withinRange()).isFalse();
        assertThat(PerformanceAudit.judge("RTX 4090", "RTX 3060", 3700).anomaly())
                .isEqualTo("benchmark ran on RTX 3060, registered as RTX 4090");
        assertThat(PerformanceAudit.judge("Mystery GPU", null, 1000).anomaly()).contains("no reference DLPerf");
    }
}
