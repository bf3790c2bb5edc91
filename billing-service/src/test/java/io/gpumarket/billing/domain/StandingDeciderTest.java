package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.AccountReactivated;
import io.gpumarket.events.account.AccountEvent.AccountSuspended;
import io.gpumarket.events.account.AccountEvent.LowBalanceWarned;
import io.gpumarket.events.account.AccountEvent.SuspensionGraceExpired;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.ledger.LedgerEvent.UsageCharged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Given the account's history, when a ledger entry arrives (or time passes), then its standing changes so. */
class StandingDeciderTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Duration GRACE = Duration.ofHours(72);
    private static final long PER_HOUR = 2_000_000; // $2 per hour

    private final AccountStanding s = new AccountStanding();
    private final List<Event> emitted = new ArrayList<>();
    private int n;

    @Test
    void warnsOnceWhenTheBalanceCoversLessThanAnHourOfBurn() {
        given(opened(Role.CLIENT), deposit(T0, 2_500_000));
        assertThat(when(charge(T0.plusSeconds(5), 400_000))).isEmpty(); // $2.10 left, more than an hour
        List<Event> warned = when(charge(T0.plusSeconds(10), 200_000)); // $1.90 left
        assertThat(warned).singleElement().isInstanceOfSatisfying(LowBalanceWarned.class, w -> {
            assertThat(w.balanceMicros()).isEqualTo(1_900_000);
            assertThat(w.burnPerHourMicros()).isEqualTo(PER_HOUR);
        });
        assertThat(when(charge(T0.plusSeconds(15), 100_000))).isEmpty();
    }

    @Test
    void suspendsAtZeroAndOnlyOnce() {
        given(opened(Role.CLIENT), deposit(T0, 500_000), charge(T0.plusSeconds(5), 300_000));
        List<Event> out = when(charge(T0.plusSeconds(10), 200_000));
        assertThat(out).singleElement().isInstanceOf(AccountSuspended.class);
        assertThat(s.suspended()).isTrue();
        // a charge already on its way (the interval closed before the stop) books, but suspends nothing more
        assertThat(when(charge(T0.plusSeconds(12), 10_000))).isEmpty();
        assertThat(s.balanceMicros()).isEqualTo(-10_000);
    }

    @Test
    void aDepositAboveZeroReactivatesButOneThatLeavesDebtDoesNot() {
        given(opened(Role.CLIENT), deposit(T0, 100_000), charge(T0.plusSeconds(5), 150_000));
        assertThat(s.suspended()).isTrue();
        assertThat(when(deposit(T0.plusSeconds(60), 40_000))).isEmpty(); // -10,000 still
        assertThat(when(deposit(T0.plusSeconds(70), 20_000))).singleElement()
                .isInstanceOfSatisfying(AccountReactivated.class, r -> assertThat(r.balanceMicros()).isEqualTo(10_000));
        assertThat(s.suspended()).isFalse();
    }

    @Test
    void theGraceExpiresOnceAfterSeventyTwoHoursOfSuspension() {
        given(opened(Role.CLIENT), deposit(T0, 100_000), charge(T0.plusSeconds(5), 150_000));
        Instant suspendedAt = T0.plusSeconds(5);
        assertThat(StandingDecider.tick(s, "acc", suspendedAt.plus(GRACE).minusSeconds(1), GRACE)).isEmpty();
        List<Event> expired = StandingDecider.tick(s, "acc", suspendedAt.plus(GRACE), GRACE);
        assertThat(expired).singleElement().isInstanceOfSatisfying(SuspensionGraceExpired.class,
                g -> assertThat(g.suspendedAt()).isEqualTo(suspendedAt));
        expired.forEach(e -> StandingDecider.evolve(s, e));
        assertThat(StandingDecider.tick(s, "acc", suspendedAt.plus(GRACE).plusSeconds(60), GRACE)).isEmpty();
    }

    @Test
    void aReactivatedAccountHasNoGraceRunning() {
        given(opened(Role.CLIENT), deposit(T0, 100_000), charge(T0.plusSeconds(5), 150_000),
                deposit(T0.plusSeconds(30), 1_000_000));
        assertThat(StandingDecider.tick(s, "acc", T0.plus(GRACE).plusSeconds(60), GRACE)).isEmpty();
    }

    @Test
    void hostsAndThePlatformAreNeverSuspended() {
        given(opened(Role.HOST));
        assertThat(when(payout(T0, 20_000_000))).isEmpty();
        assertThat(s.balanceMicros()).isEqualTo(-20_000_000);
        assertThat(s.suspended()).isFalse();
    }

    @Test
    void burnCountsOnlyInstancesChargedWithinTheLastMinute() {
        given(opened(Role.CLIENT), deposit(T0, 100_000_000), charge("i-1", T0, 1_000, 3_000_000),
                charge("i-2", T0.plusSeconds(30), 1_000, 1_000_000));
        assertThat(s.burnPerHourMicros(T0.plusSeconds(40))).isEqualTo(4_000_000);
        assertThat(s.burnPerHourMicros(T0.plusSeconds(70))).isEqualTo(1_000_000);
        assertThat(s.burnPerHourMicros(T0.plusSeconds(100))).isZero();
    }

    @Test
    void recoveryFoldsWarningsBeforeTheLedgerAndReachesTheSameStanding() {
        // the live order: deposit, charge, warning, charge; recovery folds the accounts topic first
        given(opened(Role.CLIENT), deposit(T0, 2_500_000), charge(T0.plusSeconds(5), 400_000));
        when(charge(T0.plusSeconds(10), 200_000));
        AccountStanding recovered = new AccountStanding();
        List<Event> accountsFirst = new ArrayList<>();
        history.stream().filter(e -> !(e instanceof LedgerEvent)).forEach(accountsFirst::add);
        history.stream().filter(e -> e instanceof LedgerEvent).forEach(accountsFirst::add);
        accountsFirst.forEach(e -> StandingDecider.evolve(recovered, e));
        // then the warning is still out: the next charge does not warn again
        assertThat(StandingDecider.decide(recovered, fold(recovered, charge(T0.plusSeconds(15), 100_000)))).isEmpty();
    }

    private final List<Event> history = new ArrayList<>();

    private void given(Event... events) {
        for (Event e : events) {
            history.add(e);
            StandingDecider.evolve(s, e);
            if (e instanceof LedgerEvent l) {
                for (Event out : StandingDecider.decide(s, l)) {
                    history.add(out);
                    StandingDecider.evolve(s, out);
                }
            }
        }
    }

    private List<Event> when(LedgerEvent e) {
        history.add(e);
        StandingDecider.evolve(s, e);
        List<Event> out = StandingDecider.decide(s, e);
        out.forEach(o -> {
            history.add(o);
            StandingDecider.evolve(s, o);
        });
        emitted.addAll(out);
        return out;
    }

    private static LedgerEvent fold(AccountStanding state, LedgerEvent e) {
        StandingDecider.evolve(state, e);
        return e;
    }

    private AccountOpened opened(Role role) {
        return new AccountOpened(meta(T0), "Ada", "ada@example.com", role);
    }

    private FundsDeposited deposit(Instant at, long micros) {
        return new FundsDeposited(meta(at), "dep-" + (++n), micros);
    }

    private UsageCharged charge(Instant at, long micros) {
        return charge("i-1", at, micros, PER_HOUR);
    }

    private UsageCharged charge(String instance, Instant at, long micros, long perHour) {
        return new UsageCharged(meta(at), "chg-" + (++n), -micros, instance, "m-1", "host", at.minusSeconds(5), at,
                micros, 0, 0, micros / 4, micros - micros / 4, perHour);
    }

    private LedgerEvent.PayoutBooked payout(Instant at, long micros) {
        return new LedgerEvent.PayoutBooked(meta(at), "pay-" + (++n), -micros, at);
    }

    private static EventMeta meta(Instant at) {
        return new EventMeta(UUID.randomUUID(), "acc", 0, at, null);
    }
}
