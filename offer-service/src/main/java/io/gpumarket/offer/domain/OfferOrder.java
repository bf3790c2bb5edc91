package io.gpumarket.offer.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How results are sorted: keys separated by commas or spaces, each a field of the language,
 * descending with a leading (or Vast's trailing) {@code -}. The default is {@code -score}. Offers
 * without a value for a key come after those with one; ties go by machine and chunk size, so the
 * order is total and pages are stable.
 */
public final class OfferOrder implements Comparator<Offer> {
    public static final String DEFAULT = "-score";

    private record Key(Field field, boolean descending) {}

    private final List<Key> keys;

    private OfferOrder(List<Key> keys) {
        this.keys = keys;
    }

    public static OfferOrder parse(String spec) {
        String s = spec == null || spec.isBlank() ? DEFAULT : spec;
        List<Key> keys = new ArrayList<>();
        for (String raw : s.trim().split("[,\\s]+")) {
            boolean desc = raw.startsWith("-") || raw.endsWith("-");
            String name = raw.replaceAll("^[-+]|[-+]$", "");
            Field f = Field.named(name).orElseThrow(() -> new OfferQuery.QueryException(
                    "cannot order by '" + raw + "'"));
            keys.add(new Key(f, desc));
        }
        return new OfferOrder(List.copyOf(keys));
    }

    @Override
    public int compare(Offer a, Offer b) {
        for (Key k : keys) {
            boolean ma = k.field().missing(a);
            boolean mb = k.field().missing(b);
            if (ma || mb) {
                if (ma != mb) {
                    return ma ? 1 : -1;
                }
                continue;
            }
            int c = k.field().compare(a, b);
            if (c != 0) {
                return k.descending() ? -c : c;
            }
        }
        int c = a.machine().id().compareTo(b.machine().id());
        return c != 0 ? c : Integer.compare(a.numGpus(), b.numGpus());
    }
}
