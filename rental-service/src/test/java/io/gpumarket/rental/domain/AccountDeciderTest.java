package io.gpumarket.rental.domain;

import static io.gpumarket.rental.domain.DeciderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.rental.RejectionReason;
import io.gpumarket.events.rental.RentalEvent.InstanceReleased;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import io.gpumarket.events.account.AccountEvent.AccountReactivated;
import io.gpumarket.events.account.AccountEvent.AccountSuspended;
import io.gpumarket.events.account.AccountEvent.SuspensionGraceExpired;
import io.gpumarket.events.rental.RentalEvent.OwnerReactivated;
import io.gpumarket.events.rental.RentalEvent.OwnerSuspended;
import io.gpumarket.events.rental.RentalEvent.TerminationRequested;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccountDeciderTest {
    private final AccountRentals account = new AccountRentals(ACCOUNT);
    // one GPU at $0.50/h plus 20 GB at $0.072/GB-month ($0.002/h) = $0.502 per hour
    private static final long HOUR_OF_ONE_GPU = 502_000;

    private void given(Event... events) {
        for (Event e : events) {
            AccountDecider.evolve(account, e);
        }
    }

    private List<Event> when(String instance) {
        List<Event> out = AccountDecider.decide(account, request(instance, 1), T0);
        out.forEach(e -> AccountDecider.evolve(account, e));
        return out;
    }

    @Test
    void approvesWhenTheBalanceCoversAnHourAndAsksTheMachineForGpus() {
        given(deposit(HOUR_OF_ONE_GPU));
        List<Event> out = when("i-1");
        assertThat(((RentalApproved) out.get(0)).hourlyCostMicros()).isEqualTo(HOUR_OF_ONE_GPU);
        PlacementRequested placement = (PlacementRequested) out.get(1);
        assertThat(placement.aggregateId()).isEqualTo(MACHINE);
        assertThat(placement.meta().seq()).isZero();
    }

    private List<Event> whenReserved(String instance, int months) {
        var r = new io.gpumarket.events.rental.RentalEvent.RentalRequested(meta(ACCOUNT), instance, ACCOUNT, "offer",
                MACHINE, HOST, null, reserved(1, months), CONTAINER);
        List<Event> out = AccountDecider.decide(account, r, T0);
        out.forEach(e -> AccountDecider.evolve(account, e));
        return out;
    }

    @Test
    void aReservedRentalNeedsItsPrepaymentPlusAnHourOfItsDiskAndHoldsThePrepaymentUntilBilled() {
        long prepaid = reserved(1, 1).reservation().prepaidMicros(); // $0.40 x 720 h = $288
        long disk = 2_000; // 20 GB at $0.072/GB-month for an hour
        given(deposit(prepaid + disk - 1));
        assertThat(((RentalRejected) whenReserved("r-1", 1).get(0)).detail()).contains("prepaid term");
        given(deposit(1));
        RentalApproved approved = (RentalApproved) whenReserved("r-2", 1).get(0);
        assertThat(approved.prepaidMicros()).isEqualTo(prepaid);
        assertThat(approved.hourlyCostMicros()).as("GPU time is prepaid").isEqualTo(disk);
        given(deposit(HOUR_OF_ONE_GPU - 1));
        // billing has not booked the prepayment yet: the balance still holds it, the cover does not count it
        assertThat(when("i-3").get(0)).isInstanceOf(RentalRejected.class);
        given(new io.gpumarket.events.ledger.LedgerEvent.ReservationCharged(meta(ACCOUNT), "e-1", -prepaid, "r-2",
                MACHINE, HOST, T0, T0, 0, prepaid));
        assertThat(when("i-4").get(0)).as("booked, it is counted once").isInstanceOf(RentalRejected.class);
        given(deposit(1));
        assertThat(when("i-5").get(0)).isInstanceOf(RentalApproved.class);
    }

    @Test
    void theCoverCountsEveryInstanceHoldingResources() {
        given(deposit(2 * HOUR_OF_ONE_GPU - 1));
        assertThat(when("i-1").get(0)).isInstanceOf(RentalApproved.class);
        RentalRejected r = (RentalRejected) when("i-2").get(0);
        assertThat(r.reason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void atMostFiveInstancesAndAReleaseFreesASlot() {
        given(deposit(100 * HOUR_OF_ONE_GPU));
        for (int i = 1; i <= 5; i++) {
            assertThat(when("i-" + i).get(0)).isInstanceOf(RentalApproved.class);
        }
        assertThat(((RentalRejected) when("i-6").get(0)).reason()).isEqualTo(RejectionReason.INSTANCE_LIMIT);
        given(new InstanceReleased(EventMeta.of(UUID.randomUUID(), ACCOUNT, 0, T0), "i-3", "terminated"));
        assertThat(when("i-7").get(0)).isInstanceOf(RentalApproved.class);
    }

    @Test
    void billingsStandingReachesTheMachineOfEveryInstanceAndASuspendedAccountRentsNothing() {
        given(deposit(100 * HOUR_OF_ONE_GPU));
        when("i-1");
        when("i-2");
        given(new InstanceReleased(EventMeta.of(UUID.randomUUID(), ACCOUNT, 0, T0), "i-2", "terminated"));
        var suspended = new AccountSuspended(EventMeta.of(UUID.randomUUID(), ACCOUNT, 0, T0), 0);
        given(suspended);
        List<Event> out = AccountDecider.decide(account, suspended, T0);
        assertThat(out).singleElement().isInstanceOfSatisfying(OwnerSuspended.class, o -> {
            assertThat(o.instanceId()).isEqualTo("i-1");
            assertThat(o.aggregateId()).isEqualTo(MACHINE);
        });
        assertThat(((RentalRejected) when("i-3").get(0)).detail()).contains("suspended");

        var reactivated = new AccountReactivated(EventMeta.of(UUID.randomUUID(), ACCOUNT, 0, T0), 1);
        given(reactivated);
        List<Event> back = AccountDecider.decide(account, reactivated, T0);
        assertThat(back).singleElement().isInstanceOf(OwnerReactivated.class);
        assertThat(back.get(0).meta().eventId()).as("distinct from the suspension's notice at the same version")
                .isNotEqualTo(out.get(0).meta().eventId());
        var expired = new SuspensionGraceExpired(EventMeta.of(UUID.randomUUID(), ACCOUNT, 0, T0), T0);
        assertThat(AccountDecider.decide(account, expired, T0)).singleElement()
                .isInstanceOfSatisfying(TerminationRequested.class, t -> {
                    assertThat(t.instanceId()).isEqualTo("i-1");
                    assertThat(t.reason()).contains("grace");
                });
    }
}
