package io.gpumarket.offer.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The search language, compatible with Vast's: space-separated {@code field op value} terms, all
 * of which must hold. Operators {@code = == != < <= > >=} and the words {@code eq neq gt gte lt lte
 * in notin} (words stand apart: {@code num_gpus gte 4}); lists {@code [a,b]}; {@code true}/
 * {@code false}; underscores in values are spaces ({@code gpu_name=RTX_4090}), as is a quoted value
 * ({@code gpu_name="RTX 4090"}); {@code field=any} drops the filter. An unknown field, a missing
 * operator or value, or leftover text is an {@link IllegalArgumentException} that names the problem
 * and lists the valid fields.
 */
public final class OfferQuery {
    private final List<Term> terms;

    private OfferQuery(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public List<Term> terms() {
        return terms;
    }

    /** This query with one more term (an implicit filter, such as the disk a search asks for). */
    public OfferQuery and(Term term) {
        List<Term> more = new ArrayList<>(terms);
        more.add(term);
        return new OfferQuery(more);
    }

    public boolean matches(Offer offer) {
        for (Term t : terms) {
            if (!t.test(offer)) {
                return false;
            }
        }
        return true;
    }

    public static OfferQuery parse(String q) {
        return new OfferQuery(new Parser(q == null ? "" : q).terms());
    }

    /** An implicit term, written as code, not parsed from the user's text. */
    public static Term term(Field field, Term.Op op, String value, String label) {
        return Term.of(field, op, List.of(value), label);
    }

    private static final class Parser {
        private final String q;
        private int at;

        Parser(String q) {
            this.q = q;
        }

        List<Term> terms() {
            List<Term> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (at >= q.length()) {
                    return out;
                }
                Term t = term();
                if (t != null) {
                    out.add(t);
                }
            }
        }

        private Term term() {
            int start = at;
            String name = name();
            if (name.isEmpty()) {
                throw fail("cannot read '" + rest(start) + "': terms are field op value, e.g. num_gpus>=2");
            }
            Field field = Field.named(name).orElseThrow(() -> fail("unknown field '" + name + "'"));
            skipSpace();
            String spelling = operator();
            Term.Op op = spelling == null ? null : Term.Op.of(spelling);
            if (op == null) {
                throw fail("'" + name + "' needs an operator (" + String.join(" ", Term.Op.all()) + ") at '"
                        + rest(start) + "'");
            }
            skipSpace();
            List<String> values = value(name);
            String source = name + (Character.isLetter(spelling.charAt(0)) ? " " + spelling + " " : spelling)
                    + (values.size() == 1 && op != Term.Op.IN && op != Term.Op.NOTIN ? values.get(0)
                            : "[" + String.join(",", values) + "]");
            if (values.size() == 1 && values.get(0).equalsIgnoreCase("any")) {
                return null;
            }
            boolean list = op == Term.Op.IN || op == Term.Op.NOTIN;
            if (!list && values.size() != 1) {
                throw fail(name + " " + spelling + " takes one value, not a list (use in or notin)");
            }
            return Term.of(field, op, values.stream().map(v -> v.replace('_', ' ')).toList(), source);
        }

        private String name() {
            int s = at;
            while (at < q.length() && (Character.isLetterOrDigit(q.charAt(at)) || q.charAt(at) == '_')) {
                at++;
            }
            return q.substring(s, at);
        }

        private String operator() {
            if (at >= q.length()) {
                return null;
            }
            for (String symbol : List.of(">=", "<=", "==", "!=", "=", "<", ">")) {
                if (q.startsWith(symbol, at)) {
                    at += symbol.length();
                    return symbol;
                }
            }
            int s = at;
            while (at < q.length() && Character.isLetter(q.charAt(at))) {
                at++;
            }
            String word = q.substring(s, at);
            boolean apart = at >= q.length() || Character.isWhitespace(q.charAt(at)) || q.charAt(at) == '[';
            if (word.isEmpty() || !apart || Term.Op.of(word) == null) {
                at = s;
                return null;
            }
            return word;
        }

        private List<String> value(String name) {
            if (at >= q.length()) {
                throw fail(name + " needs a value");
            }
            if (q.charAt(at) == '[') {
                int end = q.indexOf(']', at);
                if (end < 0) {
                    throw fail("the list after " + name + " has no closing ]");
                }
                List<String> items = new ArrayList<>();
                for (String item : q.substring(at + 1, end).split(",")) {
                    String v = unquote(item.trim());
                    if (v.isEmpty()) {
                        throw fail("the list after " + name + " has an empty item");
                    }
                    items.add(v);
                }
                at = end + 1;
                return items;
            }
            if (q.charAt(at) == '"') {
                int end = q.indexOf('"', at + 1);
                if (end < 0) {
                    throw fail("the value after " + name + " has no closing quote");
                }
                String v = q.substring(at + 1, end);
                at = end + 1;
                return List.of(v);
            }
            int s = at;
            while (at < q.length() && !Character.isWhitespace(q.charAt(at))) {
                at++;
            }
            return List.of(q.substring(s, at));
        }

        private static String unquote(String v) {
            return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
        }

        private void skipSpace() {
            while (at < q.length() && Character.isWhitespace(q.charAt(at))) {
                at++;
            }
        }

        private String rest(int from) {
            String r = q.substring(from).trim();
            return r.length() > 40 ? r.substring(0, 40) + "…" : r;
        }

        private IllegalArgumentException fail(String problem) {
            return new QueryException(problem);
        }
    }

    /** A query that cannot be read: the message names the problem and lists the valid fields. */
    public static final class QueryException extends IllegalArgumentException {
        private final String problem;

        QueryException(String problem) {
            super(problem + "; valid fields: " + String.join(", ", Field.names()));
            this.problem = problem;
        }

        public String problem() {
            return problem;
        }
    }
}
