package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Given a machine's history, at a moment the test chooses, then its reliability score is this. */
class ReliabilityTest {
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    static final Reliability R = Reliability.DEFAULT;

    static Instant day(double d) {
        return T0.plusSeconds((long) (d * 86_400));
    }

    @Test
    void aNewMachineStartsAtThePrior() {
        assertThat(R.of(UptimeHistory.NEW, T0).reliabilityPpm()).isEqualTo(900_000);
        UptimeHistory justOnline = UptimeHistory.NEW.cameOnline(T0);
        assertThat(R.of(justOnline, T0).reliabilityPpm()).isEqualTo(900_000);
    }

    @Test
    void uptimeEarnsThePriorAwayAndDowntimeCostsIt() {
        UptimeHistory h = UptimeHistory.NEW.cameOnline(T0);
        // one day online: (1 day × 1 + 1 day × 0.9) / 2 days
        assertThat(R.of(h, day(1)).uptimePpm()).isEqualTo(950_000);
        // nine days online: (9 + 0.9) / 10
        assertThat(R.of(h, day(9)).reliabilityPpm()).isEqualTo(990_000);
        // then a day offline: (9 + 0.9) / 11
        UptimeHistory down = h.wentOffline(day(9), false);
        assertThat(R.of(down, day(10)).reliabilityPpm()).isEqualTo(900_000);
        assertThat(R.of(down.cameOnline(day(10)), day(19)).reliabilityPpm()).isEqualTo(945_000);
    }

    @Test
    void failedStartsAndDisconnectsDuringRentalsMultiplyThePenalties() {
        UptimeHistory h = UptimeHistory.NEW.cameOnline(T0);
        Reliability.Score clean = R.of(h, day(9));
        UptimeHistory failed = h.failedStart(day(1)).failedStart(day(2));
        Reliability.Score twoFailures = R.of(failed, day(9));
        assertThat(twoFailures.failedStarts()).isEqualTo(2);
        assertThat(twoFailures.reliabilityPpm()).isEqualTo(clean.reliabilityPpm() * 98 / 100 * 98 / 100);
        UptimeHistory disconnected = h.wentOffline(day(3), true).cameOnline(day(3));
        Reliability.Score one = R.of(disconnected, day(9));
        assertThat(one.rentalDisconnects()).isEqualTo(1);
        assertThat(one.reliabilityPpm()).isEqualTo(one.uptimePpm() * 95 / 100);
        assertThat(R.of(h.wentOffline(day(3), false).cameOnline(day(3)), day(9)).rentalDisconnects())
                .as("offline while idle is downtime, not a disconnect during a rental").isZero();
    }

    @Test
    void aMachineSaidOfflineTwiceDisconnectedOnce() {
        UptimeHistory once = UptimeHistory.NEW.cameOnline(T0).wentOffline(day(3), true);
        UptimeHistory twice = once.wentOffline(day(3).plusSeconds(1), true);
        assertThat(twice).as("the second offline (another replica's) changes nothing").isEqualTo(once);
        assertThat(R.of(twice, day(9)).rentalDisconnects()).isEqualTo(1);
        assertThat(UptimeHistory.NEW.wentOffline(T0, true)).as("never online").isEqualTo(UptimeHistory.NEW);
    }

    @Test
    void theWindowRollsOldIncidentsAndDowntimeAway() {
        UptimeHistory h = UptimeHistory.NEW.cameOnline(T0).wentOffline(day(1), true).cameOnline(day(2))
                .failedStart(day(2));
        Reliability.Score early = R.of(h, day(3));
        Reliability.Score later = R.of(h.prunedBefore(day(40).minus(R.window())), day(40));
        assertThat(early.rentalDisconnects()).isEqualTo(1);
        assertThat(later.rentalDisconnects()).isZero();
        assertThat(later.failedStarts()).isZero();
        assertThat(later.uptimePpm()).as("30 days online in the window").isEqualTo(
                (30L * 86_400 * 1_000_000 + 900_000L * 86_400) / (31L * 86_400));
        assertThat(h.onlineSeconds(T0, day(3))).isEqualTo(Duration.ofDays(2).toSeconds());
    }
}
