package io.gpumarket.offer.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One search over the market: every chunk of every machine on the market whose listing has not
 * ended and whose GPUs are free (for a rental that may take interruptibles' GPUs, those too),
 * priced for the quote, filtered by the query and ordered. It scans once and keeps only the best
 * {@code offset + limit} in a heap, so it allocates for results only. When nothing matches, a
 * second scan explains why: what each term alone leaves, and which terms, dropped, would match.
 */
public final class Search {
    private Search() {}

    public record TermCount(String term, int matched) {}

    public record Relaxation(List<String> without, int matched) {}

    /** Why nothing matched: {@code text} for people, the counts for programs. */
    public record Explanation(String text, int available, List<TermCount> alone, List<Relaxation> relaxations) {}

    public record Result(List<Offer> offers, int total, Explanation explanation) {}

    public static Result run(Market market, OfferQuery query, OfferOrder order, Quote quote, Instant now, int offset,
            int limit) {
        int keep = offset + limit;
        PriorityQueue<Offer> best = new PriorityQueue<>(keep + 1, order.reversed());
        int[] total = {0};
        List<Term> perMachine = query.terms().stream().filter(t -> t.field().perMachine()).toList();
        List<Term> perSize = query.terms().stream().filter(t -> t.field().perSize()).toList();
        List<Term> perOffer = query.terms().stream().filter(t -> !t.field().perMachine() && !t.field().perSize())
                .toList();
        scan(candidates(market, perMachine), quote, now, perMachine, perSize, c -> {
            for (Term t : perOffer) {
                if (!t.test(c)) {
                    return;
                }
            }
            total[0]++;
            if (best.size() < keep) {
                best.add(c.copy());
            } else if (order.compare(c, best.peek()) < 0) {
                best.poll();
                best.add(c.copy());
            }
        });
        List<Offer> sorted = new ArrayList<>(best);
        sorted.sort(order);
        List<Offer> page = offset >= sorted.size() ? List.of() : sorted.subList(offset, sorted.size());
        Explanation why = total[0] == 0 ? explain(market.machines(), query, quote, now) : null;
        return new Result(List.copyOf(page), total[0], why);
    }

    /** The machines to scan: those of the asked GPU models when the query names them, else all. */
    private static Collection<MarketMachine> candidates(Market market, List<Term> perMachine) {
        for (Term t : perMachine) {
            List<String> models = t.field() == Field.GPU_NAME ? t.selectedTexts() : null;
            if (models != null) {
                List<MarketMachine> out = new ArrayList<>();
                models.stream().map(m -> m.toLowerCase(java.util.Locale.ROOT)).distinct()
                        .forEach(m -> out.addAll(market.withModel(m)));
                return out;
            }
        }
        return market.machines();
    }

    /**
     * Offers every available chunk to {@code each}, priced, in one reused {@link Offer}; a machine that
     * fails a term of {@code perMachine} offers none, and a chunk that fails one of {@code perSize} is
     * not priced.
     */
    private static void scan(Collection<MarketMachine> machines, Quote quote, Instant now, List<Term> perMachine,
            List<Term> perSize, java.util.function.Consumer<Offer> each) {
        Offer c = new Offer();
        long nowSecond = now.getEpochSecond();
        machines:
        for (MarketMachine m : machines) {
            if (!m.onMarket() || m.endsAtEpochSecond() <= nowSecond || m.inMaintenanceWindow(nowSecond)) {
                continue;
            }
            if (!perMachine.isEmpty()) {
                c.set(m, m.gpuCount(), 0, 0, false, nowSecond);
                for (Term t : perMachine) {
                    if (!t.test(c)) {
                        continue machines;
                    }
                }
            }
            int usable = m.freeGpus() + m.preemptibleGpus();
            long extras = -1;
            int n = Math.max(1, m.listing().minGpus());
            while (true) {
                int size = Math.min(n, m.gpuCount());
                if (size <= usable && passes(perSize, c.set(m, size, 0, 0, size > m.freeGpus(), nowSecond))) {
                    if (extras < 0) {
                        extras = quote.extrasPerHour(m.listing());
                    }
                    long price = quote.gpuPricePerHour(m.listing(), size);
                    each.accept(c.price(price, price + extras));
                }
                if (size == m.gpuCount()) {
                    break;
                }
                n *= 2;
            }
        }
    }

    private static boolean passes(List<Term> terms, Offer c) {
        for (Term t : terms) {
            if (!t.test(c)) {
                return false;
            }
        }
        return true;
    }

    static Explanation explain(Collection<MarketMachine> machines, OfferQuery query, Quote quote, Instant now) {
        List<Term> terms = query.terms();
        int[] alone = new int[terms.size()];
        Map<Long, Integer> byMissed = new LinkedHashMap<>();
        int[] available = {0};
        scan(machines, quote, now, List.of(), List.of(), c -> {
            available[0]++;
            long missed = 0;
            for (int i = 0; i < terms.size() && i < 63; i++) {
                if (terms.get(i).test(c)) {
                    alone[i]++;
                } else {
                    missed |= 1L << i;
                }
            }
            if (Long.bitCount(missed) <= 2) {
                byMissed.merge(missed, 1, Integer::sum);
            }
        });
        if (available[0] == 0) {
            return new Explanation("no offer is available right now: no machine is listed, online and with "
                    + "free GPUs", 0, List.of(), List.of());
        }
        List<TermCount> counts = new ArrayList<>();
        for (int i = 0; i < alone.length; i++) {
            counts.add(new TermCount(terms.get(i).toString(), alone[i]));
        }
        List<Relaxation> relaxations = relaxations(terms, byMissed, 1);
        if (relaxations.isEmpty()) {
            relaxations = relaxations(terms, byMissed, 2);
        }
        StringBuilder text = new StringBuilder("0 of " + available[0] + ": ");
        text.append(String.join(", ", counts.stream().map(t -> t.term() + " matched " + t.matched()).toList()));
        for (int i = 0; i < relaxations.size(); i++) {
            Relaxation r = relaxations.get(i);
            text.append(i == 0 ? "; " : ", ").append("without ").append(String.join(" and ", r.without()))
                    .append(" → ").append(r.matched());
        }
        return new Explanation(text.toString(), available[0], counts, relaxations);
    }

    /** The ways to drop exactly {@code drop} terms that would match something, most matches first, at most three. */
    private static List<Relaxation> relaxations(List<Term> terms, Map<Long, Integer> byMissed, int drop) {
        List<Relaxation> out = new ArrayList<>();
        byMissed.forEach((mask, count) -> {
            if (Long.bitCount(mask) == drop) {
                List<String> without = new ArrayList<>();
                for (int i = 0; i < terms.size(); i++) {
                    if ((mask & (1L << i)) != 0) {
                        without.add(terms.get(i).toString());
                    }
                }
                out.add(new Relaxation(without, count));
            }
        });
        out.sort(Comparator.comparingInt(Relaxation::matched).reversed().thenComparing(r -> r.without().toString()));
        return List.copyOf(out.subList(0, Math.min(3, out.size())));
    }
}
