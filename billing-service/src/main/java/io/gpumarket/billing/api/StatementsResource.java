package io.gpumarket.billing.api;

import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/account/statements?month=YYYY-MM} (UTC; the current month by default): the
 * caller's monthly statement from the ledger lines, one line per instance and kind (deposits and
 * payouts without an instance), totals per kind, and the opening and closing balances. The
 * closing balance is the opening one plus every line, so the statement adds up to the ledger.
 */
@Path("/api/v1/account/statements")
@Produces(MediaType.APPLICATION_JSON)
public class StatementsResource {
    private final EntityManager em;
    private final Callers callers;
    private final Clock clock;

    public StatementsResource(EntityManager em, Callers callers, Clock clock) {
        this.em = em;
        this.callers = callers;
        this.clock = clock;
    }

    public record Line(String kind, String instanceId, String machineId, String amount, long entries) {}

    public record Total(String kind, String amount) {}

    public record Statement(String accountId, String month, Instant from, Instant to, String openingBalance,
            List<Line> lines, List<Total> totals, String closingBalance) {}

    @GET
    public Statement statement(@QueryParam("month") String month) {
        String account = callers.current().accountId();
        YearMonth ym = parse(month);
        Instant from = ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = ym.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long opening = ((Number) em.createNativeQuery(
                "SELECT coalesce(sum(amount), 0) FROM ledger_line WHERE account_id = ?1 AND at < ?2")
                .setParameter(1, account).setParameter(2, from).getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT kind, instance_id, min(machine_id), sum(amount), sum(entries)"
                + " FROM ledger_line WHERE account_id = ?1 AND at >= ?2 AND at < ?3"
                + " GROUP BY kind, instance_id ORDER BY kind, instance_id NULLS FIRST")
                .setParameter(1, account).setParameter(2, from).setParameter(3, to).getResultList();
        List<Line> lines = new ArrayList<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        long closing = opening;
        for (Object[] r : rows) {
            long amount = ((Number) r[3]).longValue();
            lines.add(new Line((String) r[0], (String) r[1], (String) r[2], Money.format(amount),
                    ((Number) r[4]).longValue()));
            totals.merge((String) r[0], amount, Math::addExact);
            closing = Math.addExact(closing, amount);
        }
        return new Statement(account, ym.toString(), from, to, Money.format(opening), lines,
                totals.entrySet().stream().map(t -> new Total(t.getKey(), Money.format(t.getValue()))).toList(),
                Money.format(closing));
    }

    private YearMonth parse(String month) {
        if (month == null || month.isBlank()) {
            return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        }
        try {
            YearMonth ym = YearMonth.parse(month);
            if (ym.getYear() < 2000 || ym.getYear() > 9999) {
                throw Problem.badRequest("month: a month between 2000-01 and 9999-12");
            }
            return ym;
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("month: a month as YYYY-MM, e.g. 2026-11");
        }
    }
}
