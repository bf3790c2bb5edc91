package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.rental.Reservation;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReservationChargeTest {
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    // 2 x RTX 4090 at $0.45 on demand, 40 % maximum discount, 3 months: 30 % off = $0.315 per GPU-hour
    private static final Reservation TERM = Reservation.of(3, 4000, 2, 450_000, FROM);
    private static final Contract RESERVED = new Contract(RentalType.RESERVED, "RTX 4090", 2, 50,
            TERM.pricePerHourMicros(), 100_000, 3_000_000, TERM.until(), TERM);
    private static final FeePolicy FEE_25 = new FeePolicy.FlatShare(2500);

    @Test
    void thePrepaymentIsTheWholeTermAtTheReservedPriceSharedLikeAnyCharge() {
        ReservationCharge c = ReservationCharge.prepaid(RESERVED, FEE_25);
        assertThat(c.amountMicros()).isEqualTo(-315_000L * 2 * 720 * 3);
        assertThat(c.feeMicros()).isEqualTo(315_000L * 2 * 720 * 3 / 4);
        assertThat(c.feeMicros() + c.earningMicros()).isEqualTo(-c.amountMicros());
    }

    @Test
    void theGpuClassPolicyTakesItsHourlyFeeOnTheWholeTerm() {
        var policy = new FeePolicy.GpuClassUsageFee(Map.of(GpuClass.CONSUMER, 50_000L, GpuClass.PROFESSIONAL,
                100_000L, GpuClass.DATACENTER, 250_000L));
        ReservationCharge c = ReservationCharge.prepaid(RESERVED, policy);
        long hours = 720L * 3;
        long usageFee = 50_000L * 2 * hours;
        assertThat(c.feeMicros()).isEqualTo(usageFee + (-c.amountMicros() - usageFee) / 2);
        assertThat(c.feeMicros() + c.earningMicros()).isEqualTo(-c.amountMicros());
    }

    @Test
    void anEarlyEndRefundsByTheReservationsRuleTakingBackFeeAndEarningInProportion() {
        Instant tenDays = FROM.plusSeconds(10L * 86_400);
        ReservationCharge r = ReservationCharge.refund(RESERVED, tenDays, FEE_25);
        long used = 450_000L * 2 * 240; // under a month: on-demand price
        assertThat(r.amountMicros()).isEqualTo(TERM.prepaidMicros() - used);
        assertThat(r.feeMicros()).isEqualTo(-(TERM.prepaidMicros() / 4) * r.amountMicros() / TERM.prepaidMicros());
        assertThat(r.feeMicros() + r.earningMicros()).isEqualTo(-r.amountMicros());
    }

    @Test
    void nothingIsRefundedAtTheEndOfTheTerm() {
        assertThat(ReservationCharge.refund(RESERVED, TERM.until(), FEE_25).isZero()).isTrue();
    }

    @Test
    void aUsageIntervalOfAReservedInstanceChargesItsDiskAndTrafficButNotItsPrepaidGpus() {
        UsageCharge c = UsageCharge.between(RESERVED, UsageTotals.ZERO, new UsageTotals(3_600, 3_600, 1_000_000_000_000L),
                FEE_25);
        assertThat(c.gpuMicros()).isZero();
        assertThat(c.storageMicros()).isEqualTo(100_000L * 50 * 3_600 / 2_592_000);
        assertThat(c.bandwidthMicros()).isEqualTo(3_000_000);
        assertThat(Tariff.onlinePerHour(RESERVED)).as("its burn is its disk").isEqualTo(Tariff.storagePerHour(RESERVED));
    }
}
