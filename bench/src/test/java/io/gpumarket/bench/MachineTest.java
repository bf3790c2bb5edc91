package io.gpumarket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFirstLineOfTheNamedFieldOfAProcFile() throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nmodel\t\t: 1\n"
                + "processor\t: 1\nmodel name\t: other\n");

        assertThat(Machine.procField(cpuinfo, "model name")).isEqualTo("AMD EPYC 7B13");
        assertThat(Machine.procField(cpuinfo, "model")).isEqualTo("1");
    }

    @Test
    void saysUnknownWhenTheFieldOrTheFileIsMissing() throws Exception {
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemFree:        1024 kB\n");

        assertThat(Machine.procField(meminfo, "MemTotal")).isEqualTo("unknown");
        assertThat(Machine.procField(dir.resolve("absent"), "MemTotal")).isEqualTo("unknown");
    }
}
