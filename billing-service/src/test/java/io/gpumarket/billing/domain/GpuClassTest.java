package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuClassTest {
    @ParameterizedTest
    @CsvSource({"RTX 4090, CONSUMER", "GTX 1080 Ti, CONSUMER", "RTX 3060, CONSUMER", "RTX A6000, PROFESSIONAL",
            "RTX A4000, PROFESSIONAL", "Quadro RTX 8000, PROFESSIONAL", "RTX 6000 Ada, PROFESSIONAL",
            "A100 SXM4, DATACENTER", "H100 PCIe, DATACENTER", "Tesla V100, DATACENTER", "L4, DATACENTER",
            "L40S, DATACENTER", "A40, DATACENTER", "Instinct MI250X, DATACENTER", "H200, DATACENTER",
            "Tesla T4, DATACENTER", "unknown card, CONSUMER"})
    void classifiesModels(String model, GpuClass expected) {
        assertThat(GpuClass.of(model)).isEqualTo(expected);
    }
}
