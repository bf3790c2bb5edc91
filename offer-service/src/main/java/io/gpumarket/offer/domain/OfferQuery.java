package io.gpumarket.offer.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search language, compatible with Vast's: space-separated {@code field op value} terms, all
 * of which must hold. Operators {@code = == != < <= > >=}; underscores in values are spaces
 * ({@code gpu_name=RTX_4090}); {@code field=any} drops a filter; text compares case-insensitively,
 * numbers as decimals. An unknown field or text that is not a term is an {@link IllegalArgumentException}
 * naming it and the valid fields.
 */
public final class OfferQuery {
    private static final Pattern TERM = Pattern.compile("\\s*([a-zA-Z_]+)\\s*(>=|<=|==|!=|=|<|>)\\s*([^\\s]+)\\s*");
    private static final Map<String, Function<Offer, Comparable<?>>> FIELDS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of("dph_total", "dph", "geolocation", "region");

    static {
        FIELDS.put("gpu_name", o -> o.machine().gpuModel().toLowerCase(Locale.ROOT));
        FIELDS.put("num_gpus", o -> BigDecimal.valueOf(o.numGpus()));
        FIELDS.put("gpu_ram", o -> BigDecimal.valueOf(o.machine().gpuRamGb()));
        FIELDS.put("gpu_total_ram", o -> BigDecimal.valueOf((long) o.machine().gpuRamGb() * o.numGpus()));
        FIELDS.put("cpu_cores", o -> BigDecimal.valueOf(o.cpuCores()));
        FIELDS.put("cpu_ram", o -> BigDecimal.valueOf(o.ramGb()));
        FIELDS.put("disk_space", o -> BigDecimal.valueOf(o.machine().diskGb()));
        FIELDS.put("dph", o -> BigDecimal.valueOf(o.totalPerHourMicros(), 6));
        FIELDS.put("region", o -> o.machine().region().toLowerCase(Locale.ROOT));
        FIELDS.put("inet_up", o -> BigDecimal.valueOf(o.machine().inetUpMbps()));
        FIELDS.put("inet_down", o -> BigDecimal.valueOf(o.machine().inetDownMbps()));
        FIELDS.put("min_bid", o -> BigDecimal.valueOf(o.machine().minBid(), 6));
        FIELDS.put("machine_id", o -> o.machine().id().toLowerCase(Locale.ROOT));
        FIELDS.put("host_id", o -> o.machine().hostAccountId().toLowerCase(Locale.ROOT));
    }

    private final List<Predicate<Offer>> filters;

    private OfferQuery(List<Predicate<Offer>> filters) {
        this.filters = filters;
    }

    public static List<String> fields() {
        List<String> all = new ArrayList<>(FIELDS.keySet());
        all.addAll(ALIASES.keySet());
        return all;
    }

    public static OfferQuery parse(String q) {
        List<Predicate<Offer>> filters = new ArrayList<>();
        if (q == null || q.isBlank()) {
            return new OfferQuery(filters);
        }
        Matcher m = TERM.matcher(q);
        int at = 0;
        while (at < q.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("cannot read '" + q.substring(at).trim()
                        + "': terms are field op value, e.g. num_gpus>=2; valid fields: " + String.join(", ", fields()));
            }
            String field = ALIASES.getOrDefault(m.group(1).toLowerCase(Locale.ROOT), m.group(1).toLowerCase(Locale.ROOT));
            var getter = FIELDS.get(field);
            if (getter == null) {
                throw new IllegalArgumentException("unknown field '" + m.group(1) + "'; valid fields: "
                        + String.join(", ", fields()));
            }
            String value = m.group(3).replace('_', ' ');
            if (!value.equalsIgnoreCase("any")) {
                filters.add(term(field, getter, m.group(2), value));
            }
            at = m.end();
        }
        return new OfferQuery(filters);
    }

    public boolean matches(Offer offer) {
        return filters.stream().allMatch(f -> f.test(offer));
    }

    private static Predicate<Offer> term(String field, Function<Offer, Comparable<?>> getter, String op, String value) {
        Comparable<?> sample = getter.apply(SAMPLE);
        Object wanted;
        if (sample instanceof BigDecimal) {
            try {
                wanted = new BigDecimal(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " takes a number, not '" + value + "'");
            }
        } else {
            wanted = value.toLowerCase(Locale.ROOT);
        }
        return o -> {
            @SuppressWarnings({"unchecked", "rawtypes"})
            int c = ((Comparable) getter.apply(o)).compareTo(wanted);
            return switch (op) {
                case "=", "==" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        };
    }

    /** Sort keys: {@code dph}, {@code -num_gpus}, several separated by commas; ties by offer id. */
    public static Comparator<Offer> order(String order) {
        Comparator<Offer> out = null;
        String spec = order == null || order.isBlank() ? "dph" : order;
        for (String key : spec.split(",")) {
            String k = key.trim();
            boolean desc = k.startsWith("-");
            String name = ALIASES.getOrDefault(k.replaceFirst("^[-+]", "").toLowerCase(Locale.ROOT),
                    k.replaceFirst("^[-+]", "").toLowerCase(Locale.ROOT));
            var getter = FIELDS.get(name);
            if (getter == null) {
                throw new IllegalArgumentException("cannot order by '" + k + "'; valid fields: " + String.join(", ", fields()));
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            Comparator<Offer> c = Comparator.comparing(o -> (Comparable) getter.apply(o));
            c = desc ? c.reversed() : c;
            out = out == null ? c : out.thenComparing(c);
        }
        return out.thenComparing(Offer::id);
    }

    private static final Offer SAMPLE = Offer.of(new MarketMachine("m", "h", "g", 1, 1, 1, 1, 1, "r", 1, 1, 1, 1, 1,
            1, 1, java.time.Instant.EPOCH, 1), 1, new Offer.Pricing(1, 1));
}
