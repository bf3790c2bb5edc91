package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.machine.Verification;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Given a machine's stage and facts, at a moment the test chooses, then its verification moves (or not). */
class VerificationPolicyTest {
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    static final VerificationPolicy POLICY = VerificationPolicy.DEFAULT;
    static final UptimeHistory ONLINE_SINCE_T0 = UptimeHistory.NEW.cameOnline(T0);

    static Instant hours(long h) {
        return T0.plusSeconds(h * 3600);
    }

    static VerificationPolicy.Facts facts(Verification stage, Instant since, boolean checks, Boolean inRange,
            Instant benchAt, long reliability, UptimeHistory h) {
        return new VerificationPolicy.Facts(stage, since, checks, inRange, benchAt, reliability, h);
    }

    static Optional<Verification> decide(VerificationPolicy.Facts f, Instant now) {
        return POLICY.decide(f, now).map(VerificationPolicy.Change::stage);
    }

    @Test
    void verifiedAfterADayOnlineWithABenchmarkInRangeAndGoodReliability() {
        var f = facts(Verification.UNVERIFIED, null, true, true, hours(1), 950_000, ONLINE_SINCE_T0);
        assertThat(decide(f, hours(23))).as("not a day yet").isEmpty();
        assertThat(decide(f, hours(24))).contains(Verification.VERIFIED);
        assertThat(POLICY.decide(f, hours(24)).orElseThrow().reason()).contains("24 h online");
    }

    @Test
    void eachConditionHoldsVerificationBack() {
        Instant day = hours(30);
        assertThat(decide(facts(Verification.UNVERIFIED, null, false, true, T0, 950_000, ONLINE_SINCE_T0), day))
                .as("a failed hardware check").isEmpty();
        assertThat(decide(facts(Verification.UNVERIFIED, null, true, null, null, 950_000, ONLINE_SINCE_T0), day))
                .as("no benchmark yet").isEmpty();
        assertThat(decide(facts(Verification.UNVERIFIED, null, true, true, T0, 899_999, ONLINE_SINCE_T0), day))
                .as("reliability below 0.9").isEmpty();
        UptimeHistory offlineMostly = UptimeHistory.NEW.cameOnline(T0).wentOffline(hours(10), false);
        assertThat(decide(facts(Verification.UNVERIFIED, null, true, true, T0, 950_000, offlineMostly), day))
                .as("10 h online only").isEmpty();
    }

    @Test
    void anomaliesDeverify() {
        assertThat(decide(facts(Verification.UNVERIFIED, null, true, false, T0, 950_000, ONLINE_SINCE_T0), T0))
                .as("a benchmark out of range, even before verification").contains(Verification.DEVERIFIED);
        assertThat(decide(facts(Verification.VERIFIED, T0, true, false, T0, 950_000, ONLINE_SINCE_T0), T0))
                .contains(Verification.DEVERIFIED);
        assertThat(decide(facts(Verification.VERIFIED, T0, true, true, T0, 799_999, ONLINE_SINCE_T0), T0))
                .as("reliability below 0.8").contains(Verification.DEVERIFIED);
        assertThat(decide(facts(Verification.VERIFIED, T0, true, true, T0, 850_000, ONLINE_SINCE_T0), T0))
                .as("between 0.8 and 0.9 a verified machine stays verified").isEmpty();
    }

    @Test
    void aDeverifiedMachineNeedsAFreshBenchmarkAndAnotherDayOnline() {
        Instant deverifiedAt = hours(100);
        var stale = facts(Verification.DEVERIFIED, deverifiedAt, true, true, hours(50), 950_000, ONLINE_SINCE_T0);
        assertThat(decide(stale, hours(200))).as("its benchmark predates the deverification").isEmpty();
        var fresh = facts(Verification.DEVERIFIED, deverifiedAt, true, true, hours(101), 950_000, ONLINE_SINCE_T0);
        assertThat(decide(fresh, hours(123))).as("23 h since").isEmpty();
        assertThat(decide(fresh, hours(124))).contains(Verification.VERIFIED);
        var stillBad = facts(Verification.DEVERIFIED, deverifiedAt, true, false, hours(101), 950_000, ONLINE_SINCE_T0);
        assertThat(decide(stillBad, hours(200))).as("no change event while it stays deverified").isEmpty();
    }
}
