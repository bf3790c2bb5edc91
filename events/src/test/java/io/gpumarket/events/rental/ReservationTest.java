package io.gpumarket.events.rental;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReservationTest {
    static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void theDiscountGrowsWithTheTermTowardsTheHostsMaximum() {
        assertEquals(0, Reservation.discountBps(4000, 0));
        assertEquals(2000, Reservation.discountBps(4000, 1));
        assertEquals(3000, Reservation.discountBps(4000, 3));
        assertEquals(3600, Reservation.discountBps(4000, 9));
        assertEquals(3692, Reservation.discountBps(4000, 12));
        assertEquals(0, Reservation.discountBps(0, 12));
    }

    @Test
    void theTermIsPrepaidAtTheDiscountedPrice() {
        Reservation r = Reservation.of(1, 4000, 2, 450_000, FROM);
        assertEquals(360_000, r.pricePerHourMicros());
        assertEquals(360_000L * 2 * 720, r.prepaidMicros());
        assertEquals(FROM.plus(Reservation.MONTH), r.until());
        assertEquals(Instant.parse("2026-05-30T00:00:00Z"), Reservation.of(3, 4000, 1, 1, FROM).until());
    }

    @Test
    void aDiscountedPriceRoundsDown() {
        assertEquals(666_699, Reservation.discountedPerHour(999_999, 3333)); // 666,699.33
    }

    @Test
    void anInstanceThatNeverRanGetsEverythingBack() {
        Reservation r = Reservation.of(3, 4000, 1, 1_000_000, FROM);
        assertEquals(r.prepaidMicros(), r.refundMicros(FROM));
        assertEquals(r.prepaidMicros(), r.refundMicros(FROM.minusSeconds(5)));
    }

    @Test
    void timeUsedUnderAMonthIsPricedOnDemand() {
        Reservation r = Reservation.of(3, 4000, 2, 450_000, FROM);
        // one day at 2 x $0.45 = $21.60
        assertEquals(r.prepaidMicros() - 21_600_000, r.refundMicros(FROM.plusSeconds(86_400)));
        // one second: 900,000 / 3,600 = 250
        assertEquals(r.prepaidMicros() - 250, r.refundMicros(FROM.plusSeconds(1)));
    }

    @Test
    void wholeMonthsUsedKeepTheDiscountTheyEarned() {
        Reservation r = Reservation.of(6, 4000, 1, 1_000_000, FROM);
        long fortyDays = 40L * 86_400;
        // 40 days = 1 whole month: 20 % off, 960 h at $0.80
        assertEquals(r.prepaidMicros() - 800_000L * 960, r.refundMicros(FROM.plusSeconds(fortyDays)));
    }

    @Test
    void nothingComesBackAtOrAfterTheEndOfTheTerm() {
        Reservation r = Reservation.of(1, 4000, 1, 1_000_000, FROM);
        assertEquals(0, r.refundMicros(r.until()));
        assertEquals(0, r.refundMicros(r.until().plusSeconds(1)));
        // a day short of a one-month term, priced on demand, costs more than was prepaid: no refund
        assertEquals(0, r.refundMicros(r.until().minusSeconds(86_400)));
    }

    @Test
    void aTermIsOneToThirtySixMonths() {
        assertThrows(IllegalArgumentException.class, () -> Reservation.of(0, 4000, 1, 1, FROM));
        assertThrows(IllegalArgumentException.class, () -> Reservation.of(37, 4000, 1, 1, FROM));
    }
}
