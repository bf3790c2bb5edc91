package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.LedgerEntryRow;
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
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/account/ledger}: the caller's entries, newest first, with a {@code next} cursor. */
@Path("/api/v1/account/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {
    private final Callers callers;

    public LedgerResource(Callers callers) {
        this.callers = callers;
    }

    public record Entry(String id, Instant at, String kind, String amount, String instanceId, String machineId) {}

    public record Page(List<Entry> entries, String next) {}

    @GET
    public Page ledger(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("next") String next) {
        String account = callers.current().accountId();
        List<LedgerEntryRow> rows;
        if (next == null || next.isBlank()) {
            rows = LedgerEntryRow.find("accountId = ?1 order by at desc, entryId desc", account).page(0, limit + 1)
                    .list();
        } else {
            Cursor c = Cursor.parse(next);
            rows = LedgerEntryRow.find("accountId = ?1 and (at < ?2 or (at = ?2 and entryId < ?3))"
                    + " order by at desc, entryId desc", account, c.at, c.entryId).page(0, limit + 1).list();
        }
        String cursor = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            LedgerEntryRow last = rows.get(limit - 1);
            cursor = last.at.toEpochMilli() + "_" + last.entryId;
        }
        return new Page(rows.stream().map(r -> new Entry(r.entryId, r.at, r.kind, Money.format(r.amount),
                r.instanceId, r.machineId)).toList(), cursor);
    }

    private record Cursor(Instant at, String entryId) {
        static Cursor parse(String text) {
            int sep = text.indexOf('_');
            try {
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(text.substring(0, sep))), text.substring(sep + 1));
            } catch (RuntimeException e) {
                throw Problem.badRequest("invalid next cursor");
            }
        }
    }
}
