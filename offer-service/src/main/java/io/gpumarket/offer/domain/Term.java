package io.gpumarket.offer.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One compiled filter of the search language: a field, an operator and its value(s). A number is
 * turned into a range of integers at the field's scale once, when parsed, so matching an offer
 * compares two longs: {@code dph<1.5} is {@code dph ≤ 1_499_999} micro-dollars, and
 * {@code num_gpus>=1.5} is {@code num_gpus ≥ 2}. An offer without a value for the field matches
 * no term on it, not even {@code !=}.
 */
public final class Term {
    /** The operators, each with its symbols and words. */
    public enum Op {
        EQ("=", "==", "eq"), NEQ("!=", "neq"), LT("<", "lt"), LTE("<=", "lte"), GT(">", "gt"), GTE(">=", "gte"),
        IN("in"), NOTIN("notin");

        private final List<String> spellings;

        Op(String... spellings) {
            this.spellings = List.of(spellings);
        }

        public static Op of(String spelling) {
            for (Op op : values()) {
                if (op.spellings.contains(spelling.toLowerCase(Locale.ROOT))) {
                    return op;
                }
            }
            return null;
        }

        public static List<String> all() {
            return Arrays.stream(values()).flatMap(o -> o.spellings.stream()).toList();
        }

        boolean ordering() {
            return this == LT || this == LTE || this == GT || this == GTE;
        }
    }

    private final Field field;
    private final Op op;
    private final String source;
    private long lo = Offer.MISSING + 1;
    private long hi = Long.MAX_VALUE;
    private long[] numbers;
    private String[] texts;
    private String[] keys;
    private int[][] versions;
    private boolean bool;
    private boolean negate;

    private Term(Field field, Op op, String source) {
        this.field = field;
        this.op = op;
        this.source = source;
    }

    public Field field() {
        return field;
    }

    /** The term as the user wrote it (normalised spacing), for explanations. */
    @Override
    public String toString() {
        return source;
    }

    /** A term on {@code field}; {@code values} has one element unless the operator is in/notin. */
    static Term of(Field field, Op op, List<String> values, String source) {
        Term t = new Term(field, op, source);
        t.negate = op == Op.NEQ || op == Op.NOTIN;
        boolean list = op == Op.IN || op == Op.NOTIN;
        switch (field.kind()) {
            case NUMBER -> {
                if (list) {
                    t.numbers = values.stream().map(v -> scaled(field, v)).filter(v -> v.scale() <= 0)
                            .mapToLong(BigDecimal::longValueExact).sorted().toArray();
                } else {
                    t.range(scaled(field, values.get(0)));
                }
            }
            case TEXT -> {
                if (op.ordering()) {
                    throw new IllegalArgumentException(field.wire() + " is text: it takes =, !=, in and notin");
                }
                t.texts = values.toArray(String[]::new);
                t.keys = values.stream().map(MarketMachine::key).toArray(String[]::new);
            }
            case BOOL -> {
                if (op.ordering() || list) {
                    throw new IllegalArgumentException(field.wire() + " is true or false: it takes = and !=");
                }
                String v = values.get(0).toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException(field.wire() + " is true or false, not '" + values.get(0) + "'");
                }
                t.bool = Boolean.parseBoolean(v);
            }
            case VERSION -> t.versions = values.stream().map(v -> version(field, v)).toArray(int[][]::new);
        }
        return t;
    }

    private void range(BigDecimal x) {
        BigDecimal floor = x.setScale(0, RoundingMode.FLOOR);
        BigDecimal ceil = x.setScale(0, RoundingMode.CEILING);
        boolean exact = floor.compareTo(ceil) == 0;
        switch (op) {
            case EQ, NEQ -> {
                if (exact) {
                    lo = clamp(floor);
                    hi = lo;
                } else {
                    lo = 1;
                    hi = 0;
                }
            }
            case LT -> hi = clamp(ceil) - 1;
            case LTE -> hi = clamp(floor);
            case GT -> lo = clamp(floor) + 1;
            case GTE -> lo = clamp(ceil);
            default -> throw new IllegalStateException();
        }
    }

    private static long clamp(BigDecimal v) {
        BigDecimal max = BigDecimal.valueOf(Long.MAX_VALUE / 2);
        return v.max(max.negate()).min(max).longValueExact();
    }

    private static BigDecimal scaled(Field field, String value) {
        try {
            return new BigDecimal(value).movePointRight(field.scale()).stripTrailingZeros();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field.wire() + " takes a number, not '" + value + "'");
        }
    }

    private static int[] version(Field field, String value) {
        int[] parts = Field.parseVersion(value);
        if (parts == null) {
            throw new IllegalArgumentException(field.wire() + " takes a version like 12.4, not '" + value + "'");
        }
        return parts;
    }

    /** The values an offer's field must equal one of ({@code =} or {@code in} on text), or null. */
    List<String> selectedTexts() {
        return field.kind() == Field.Kind.TEXT && (op == Op.EQ || op == Op.IN) ? List.of(texts) : null;
    }

    public boolean test(Offer o) {
        return switch (field.kind()) {
            case NUMBER -> {
                long v = field.number(o);
                if (v == Offer.MISSING) {
                    yield false;
                }
                boolean hit = numbers != null ? Arrays.binarySearch(numbers, v) >= 0 : v >= lo && v <= hi;
                yield hit != negate;
            }
            case TEXT -> {
                String key = field.key(o);
                boolean hit = false;
                if (key != null) {
                    for (String k : keys) {
                        hit |= k == key;
                    }
                } else {
                    String v = field.text(o);
                    for (String t : texts) {
                        hit |= t.equalsIgnoreCase(v);
                    }
                }
                yield hit != negate;
            }
            case BOOL -> (field.bool(o) == bool) != negate;
            case VERSION -> {
                int[] v = field.version(o);
                yield v != null && versionHolds(v);
            }
        };
    }

    private boolean versionHolds(int[] v) {
        if (op == Op.IN || op == Op.NOTIN) {
            boolean hit = false;
            for (int[] w : versions) {
                hit |= Field.compareVersions(v, w) == 0;
            }
            return hit != negate;
        }
        int c = Field.compareVersions(v, versions[0]);
        return switch (op) {
            case EQ -> c == 0;
            case NEQ -> c != 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
    }
}
