package io.gpumarket.billing.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.billing.domain.FeePolicy;
import io.gpumarket.events.Event;
import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.usage.UsageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import io.gpumarket.testsupport.EventTypes;
import org.junit.jupiter.api.Test;

/** Every event type on each processor's topics is an input or one of its own outputs, exhaustively. */
class BillingProcessorsTest {
    private static final Set<Class<?>> STANDING_OUTPUTS = Set.of(AccountEvent.LowBalanceWarned.class,
            AccountEvent.AccountSuspended.class, AccountEvent.AccountReactivated.class,
            AccountEvent.SuspensionGraceExpired.class);

    @Test
    void theStandingKeeperDecidesOnEveryLedgerEntryAndFoldsEveryOtherAccountFact() {
        StandingKeeper keeper = new StandingKeeper(Duration.ofHours(72));
        for (Class<?> t : EventTypes.concrete(LedgerEvent.class)) {
            assertThat(keeper.isInput(t.asSubclass(Event.class))).as(t.getSimpleName()).isTrue();
        }
        for (Class<?> t : EventTypes.concrete(AccountEvent.class)) {
            assertThat(keeper.isInput(t.asSubclass(Event.class))).as(t.getSimpleName()).isEqualTo(!STANDING_OUTPUTS.contains(t));
        }
    }

    @Test
    void theChargerTakesEveryUsageEvent() {
        UsageCharger charger = new UsageCharger(new FeePolicy.FlatShare(2500));
        for (Class<?> t : EventTypes.concrete(UsageEvent.class)) {
            assertThat(charger.isInput(t.asSubclass(Event.class))).as(t.getSimpleName()).isTrue();
        }
    }
}
