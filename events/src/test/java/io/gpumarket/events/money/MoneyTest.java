package io.gpumarket.events.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {
    @Test
    void parsesDecimalStringsToMicros() {
        assertThat(Money.parseMicros("0.45")).isEqualTo(450_000);
        assertThat(Money.parseMicros("10")).isEqualTo(10_000_000);
        assertThat(Money.parseMicros("0.000001")).isEqualTo(1);
        assertThat(Money.parseMicros("1.500000")).isEqualTo(1_500_000);
    }

    @Test
    void rejectsMoreThanSixDecimalsAndGarbage() {
        assertThatThrownBy(() -> Money.parseMicros("0.0000001")).hasMessageContaining("6 decimals");
        assertThatThrownBy(() -> Money.parseMicros("1e400")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.parseMicros("abc")).hasMessageContaining("not a decimal");
        assertThatThrownBy(() -> Money.parseMicros("99999999999999999")).hasMessageContaining("range");
    }

    @Test
    void formatsWithSixDecimals() {
        assertThat(Money.format(450_000)).isEqualTo("0.450000");
        assertThat(Money.format(-2_750)).isEqualTo("-0.002750");
        assertThat(Money.format(0)).isEqualTo("0.000000");
    }
}
