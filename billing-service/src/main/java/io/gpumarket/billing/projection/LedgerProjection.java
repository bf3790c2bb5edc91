package io.gpumarket.billing.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.ledger.LedgerEvent.EarningCredited;
import io.gpumarket.events.ledger.LedgerEvent.FeeCredited;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.ledger.LedgerEvent.UsageCharged;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Reads {@code gpumarket.ledger} into ledger entries and balances. An entry id seen before is
 * ignored, so a balance is the sum of distinct entries however often the log repeats one.
 */
@ApplicationScoped
public class LedgerProjection implements Projection {
    @Override
    public String name() {
        return "billing-ledger";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.LEDGER);
    }

    @Override
    public List<String> tables() {
        return List.of("ledger_entry", "balance");
    }

    @Override
    public void apply(Event event, Position position) {
        LedgerEvent e = (LedgerEvent) event;
        if (LedgerEntryRow.findById(e.entryId()) != null) {
            return;
        }
        LedgerEntryRow row = new LedgerEntryRow();
        row.entryId = e.entryId();
        row.accountId = e.aggregateId();
        row.kind = kind(e);
        row.amount = e.amountMicros();
        row.at = e.meta().occurredAt();
        row.partition = position.partition();
        row.logOffset = position.offset();
        if (e instanceof UsageCharged c) {
            row.instanceId = c.instanceId();
            row.machineId = c.machineId();
        } else if (e instanceof EarningCredited c) {
            row.instanceId = c.instanceId();
            row.machineId = c.machineId();
        } else if (e instanceof FeeCredited c) {
            row.instanceId = c.instanceId();
            row.machineId = c.machineId();
        }
        row.persist();
        BalanceRow balance = BalanceRow.findById(row.accountId);
        if (balance == null) {
            balance = new BalanceRow();
            balance.accountId = row.accountId;
            balance.persist();
        }
        balance.micros = Math.addExact(balance.micros, row.amount);
    }

    /** The API's name for an entry's kind. */
    static String kind(LedgerEvent e) {
        if (e instanceof FundsDeposited) {
            return "deposit";
        } else if (e instanceof UsageCharged) {
            return "charge";
        } else if (e instanceof EarningCredited) {
            return "earning";
        } else if (e instanceof FeeCredited) {
            return "fee";
        }
        throw new IllegalArgumentException("unhandled ledger event " + e.getClass().getSimpleName());
    }
}
