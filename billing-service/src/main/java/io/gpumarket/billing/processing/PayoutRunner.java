package io.gpumarket.billing.processing;

import io.gpumarket.billing.domain.PayoutRun;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent.PayoutBooked;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The weekly host payout: once a minute it checks whether the latest cutoff (Friday 00:00 UTC) is
 * at least {@code gpumarket.billing.payout-delay} old and not paid yet; then it waits for the
 * ledger projection to hold everything on {@code gpumarket.ledger}, reads each host's unpaid
 * earnings before the cutoff, writes the payouts ({@link PayoutRun}) to {@code gpumarket.ledger}
 * and records the run in {@code payout_run}. A crash between the two repeats the run, which books
 * the same entry ids, counted once; two replicas running it at once do the same.
 */
@ApplicationScoped
public class PayoutRunner {
    private static final Logger LOG = Logger.getLogger(PayoutRunner.class);
    private static final String UNPAID = "SELECT l.account_id, sum(l.amount) FROM ledger_line l"
            + " JOIN account a ON a.id = l.account_id WHERE a.role = 'host' AND (l.kind = 'payout' OR l.at < ?1)"
            + " GROUP BY l.account_id";

    private final EntityManager em;
    private final EventPublisher publisher;
    private final Projections projections;
    private final Clock clock;
    private final long minimumMicros;
    private final Duration delay;
    private ScheduledExecutorService timer;

    public PayoutRunner(EntityManager em, EventPublisher publisher, Projections projections, Clock clock,
            @ConfigProperty(name = "gpumarket.billing.payout-minimum") String minimum,
            @ConfigProperty(name = "gpumarket.billing.payout-delay") Duration delay) {
        this.em = em;
        this.publisher = publisher;
        this.projections = projections;
        this.clock = clock;
        this.minimumMicros = Money.parseMicros(minimum);
        this.delay = delay;
    }

    /** What one run paid. */
    public record Result(Instant cutoff, List<PayoutBooked> payouts) {}

    void start(@Observes StartupEvent ev) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "payout-runner");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runIfDue, 1, 1, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void runIfDue() {
        try {
            Instant now = clock.instant();
            Instant cutoff = PayoutRun.latestCutoff(now);
            if (now.isBefore(cutoff.plus(delay)) || done(cutoff)) {
                return;
            }
            Result r = run(cutoff);
            LOG.infof("payout run for the week ending %s: %d hosts paid", cutoff, r.payouts().size());
        } catch (RuntimeException e) {
            LOG.warnf("payout run failed, retried in a minute: %s", e.toString());
        }
    }

    /** Pays every host's unpaid earnings before {@code cutoff} that reach the minimum. */
    public synchronized Result run(Instant cutoff) {
        if (!projections.awaitCurrent(Topics.LEDGER.name(), Duration.ofSeconds(30))) {
            throw new IllegalStateException("the ledger projection is behind the log; payouts wait for it");
        }
        Map<String, Long> unpaid = QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Long> out = new HashMap<>();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(UNPAID).setParameter(1, cutoff).getResultList();
            rows.forEach(r -> out.put((String) r[0], ((Number) r[1]).longValue()));
            return out;
        });
        List<PayoutBooked> payouts = PayoutRun.decide(unpaid, cutoff, minimumMicros, clock.instant());
        if (!payouts.isEmpty()) {
            projections.awaitApplied(publisher.publish(payouts), Duration.ofSeconds(10));
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO payout_run (cutoff, hosts_paid,"
                + " finished_at) VALUES (?1, ?2, ?3) ON CONFLICT (cutoff) DO NOTHING").setParameter(1, cutoff)
                .setParameter(2, payouts.size()).setParameter(3, clock.instant()).executeUpdate());
        return new Result(cutoff, payouts);
    }

    private boolean done(Instant cutoff) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery(
                "SELECT 1 FROM payout_run WHERE cutoff = ?1").setParameter(1, cutoff).getResultList().isEmpty());
    }
}
