package io.gpumarket.events.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * USD at the API edge: decimal strings with at most six decimals ({@code "0.450000"}); inside,
 * integer micro-dollars. No binary floating point anywhere on the way.
 */
public final class Money {
    public static final long MICROS_PER_DOLLAR = 1_000_000L;

    private Money() {}

    /** Parses a decimal string; more than six decimals or a value beyond range is rejected. */
    public static long parseMicros(String decimal) {
        if (decimal == null || decimal.isBlank()) {
            throw new IllegalArgumentException("an amount is required");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(decimal.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a decimal amount: " + decimal);
        }
        if (value.stripTrailingZeros().scale() > 6) {
            throw new IllegalArgumentException("at most 6 decimals: " + decimal);
        }
        try {
            return value.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount out of range: " + decimal);
        }
    }

    /** Formats micro-dollars as a decimal string with exactly six decimals. */
    public static String format(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
