package io.gpumarket.billing.processing;

import io.gpumarket.billing.domain.AccountStanding;
import io.gpumarket.billing.domain.StandingDecider;
import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent.AccountReactivated;
import io.gpumarket.events.account.AccountEvent.AccountSuspended;
import io.gpumarket.events.account.AccountEvent.LowBalanceWarned;
import io.gpumarket.events.account.AccountEvent.SuspensionGraceExpired;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.kit.processing.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the co-partitioned {@code gpumarket.accounts} and {@code gpumarket.ledger} (both keyed by
 * account) and writes each account's standing to {@code gpumarket.accounts}: low-balance warnings,
 * suspension at zero, reactivation after a deposit, and, every tick, the end of a suspension's
 * grace period ({@code gpumarket.billing.suspension-grace}, 72 h by default). One writer per
 * account: whoever owns its partition.
 */
@ApplicationScoped
public class StandingKeeper implements Processor<Map<String, AccountStanding>> {
    private final Duration grace;

    public StandingKeeper(@ConfigProperty(name = "gpumarket.billing.suspension-grace") Duration grace) {
        this.grace = grace;
    }

    @Override
    public String name() {
        return "billing-standing";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.ACCOUNTS, Topics.LEDGER);
    }

    @Override
    public Map<String, AccountStanding> emptyState() {
        return new HashMap<>();
    }

    /** Every record but this processor's own decisions: the ledger to decide on, account facts to fold. */
    @Override
    public boolean isInput(Class<? extends Event> type) {
        return !(type == LowBalanceWarned.class || type == AccountSuspended.class || type == AccountReactivated.class
                || type == SuspensionGraceExpired.class);
    }

    @Override
    public void evolve(Map<String, AccountStanding> state, Event e) {
        StandingDecider.evolve(state.computeIfAbsent(e.aggregateId(), id -> new AccountStanding()), e);
    }

    @Override
    public List<Event> decide(Map<String, AccountStanding> state, Event input, Instant now) {
        if (input instanceof LedgerEvent entry) {
            return StandingDecider.decide(state.get(entry.aggregateId()), entry);
        }
        return List.of();
    }

    @Override
    public List<Event> tick(Map<String, AccountStanding> state, Instant now) {
        List<Event> out = new ArrayList<>();
        state.forEach((account, s) -> out.addAll(StandingDecider.tick(s, account, now, grace)));
        return out;
    }
}
