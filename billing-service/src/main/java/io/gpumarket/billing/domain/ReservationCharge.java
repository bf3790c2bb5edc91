package io.gpumarket.billing.domain;

import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.Reservation;
import java.time.Duration;
import java.time.Instant;

/**
 * The money a reservation moves: its prepayment when the instance is placed, shared like any
 * charge (the fee as the policy takes it on the whole term's GPU time), and the refund of
 * {@link Reservation#refundMicros} when it ends early, taken back from the platform's fee and the
 * host's earning in proportion (the fee's share rounded down, in the host's disfavour by under a
 * micro-dollar). {@code amountMicros} is the client's side: negative for the prepayment, positive
 * for the refund; {@code fee + earning = −amount}.
 */
public record ReservationCharge(long amountMicros, long feeMicros, long earningMicros) {

    public boolean isZero() {
        return amountMicros == 0;
    }

    public static ReservationCharge prepaid(Contract c, FeePolicy fees) {
        long prepaid = c.reservation().prepaidMicros();
        long fee = prepaidFee(c, fees);
        return new ReservationCharge(-prepaid, fee, prepaid - fee);
    }

    public static ReservationCharge refund(Contract c, Instant endedAt, FeePolicy fees) {
        Reservation r = c.reservation();
        long refund = r.refundMicros(endedAt);
        if (refund == 0 || r.prepaidMicros() == 0) {
            return new ReservationCharge(0, 0, 0);
        }
        long fee = Tariff.mulDiv(prepaidFee(c, fees), refund, r.prepaidMicros());
        return new ReservationCharge(refund, -fee, -(refund - fee));
    }

    /** The fee on the prepayment: the policy's fee on the whole term at the reserved price. */
    private static long prepaidFee(Contract c, FeePolicy fees) {
        Reservation r = c.reservation();
        Contract term = new Contract(c.type(), c.gpuModel(), c.numGpus(), c.diskGb(), r.pricePerHourMicros(),
                c.storagePricePerGbMonthMicros(), c.bandwidthPricePerTbMicros(), r.until());
        long seconds = Duration.between(r.from(), r.until()).toSeconds();
        return fees.feeOn(term, new UsageTotals(seconds, 0, 0), r.prepaidMicros());
    }
}
