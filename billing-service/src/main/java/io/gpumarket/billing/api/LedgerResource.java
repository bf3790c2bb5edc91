package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.LedgerLineRow;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /api/v1/account/ledger}: the caller's ledger lines, newest first, with a {@code next}
 * cursor; usage is grouped per instance, kind and minute so the ledger stays readable while its sum
 * stays the balance.
 */
@Path("/api/v1/account/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {
    private final Callers callers;

    public LedgerResource(Callers callers) {
        this.callers = callers;
    }

    /**
     * A ledger line: one deposit or payout, or the usage postings of one instance, kind and minute
     * ({@code at} is the minute's start, {@code entries} how many intervals the line sums).
     */
    public record Entry(String id, Instant at, String kind, String amount, String instanceId, String machineId,
            int entries) {}

    public record Page(List<Entry> entries, String next) {}

    @GET
    public Page ledger(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("next") String next) {
        String account = callers.current().accountId();
        List<LedgerLineRow> rows;
        if (next == null || next.isBlank()) {
            rows = LedgerLineRow.find("accountId = ?1 order by at desc, lineId desc", account).page(0, limit + 1)
                    .list();
        } else {
            Cursor c = Cursor.parse(next);
            rows = LedgerLineRow.find("accountId = ?1 and (at < ?2 or (at = ?2 and lineId < ?3))"
                    + " order by at desc, lineId desc", account, c.at, c.lineId).page(0, limit + 1).list();
        }
        String cursor = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            LedgerLineRow last = rows.get(limit - 1);
            cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.at.toEpochMilli() + "_" + last.lineId).getBytes(StandardCharsets.UTF_8));
        }
        return new Page(rows.stream().map(r -> new Entry(r.lineId, r.at, r.kind, Money.format(r.amount),
                r.instanceId, r.machineId, r.entries)).toList(), cursor);
    }

    private record Cursor(Instant at, String lineId) {
        static Cursor parse(String encoded) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
                int sep = text.indexOf('_');
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(text.substring(0, sep))), text.substring(sep + 1));
            } catch (RuntimeException e) {
                throw Problem.badRequest("invalid next cursor");
            }
        }
    }
}
