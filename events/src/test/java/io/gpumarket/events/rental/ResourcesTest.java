package io.gpumarket.events.rental;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResourcesTest {
    @Test
    void aShareIsTheGpuFractionOfCpuAndRamWithHalfTheRamAsSharedMemory() {
        assertEquals(new Resources(8_000, 32_768, 16_384), Resources.share(1, 4, 32, 128));
        assertEquals(new Resources(32_000, 131_072, 65_536), Resources.share(4, 4, 32, 128));
        // 3 of 8 GPUs on 12 cores and 100 GB: 4.5 cores, 38,400 MiB
        assertEquals(new Resources(4_500, 38_400, 19_200), Resources.share(3, 8, 12, 100));
    }

    @Test
    void roundsDown() {
        assertEquals(new Resources(3_333, 10_922, 5_461), Resources.share(1, 3, 10, 32));
    }

    @Test
    void aShareIsOfTheMachinesGpus() {
        assertThrows(IllegalArgumentException.class, () -> Resources.share(0, 4, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> Resources.share(5, 4, 8, 8));
    }
}
