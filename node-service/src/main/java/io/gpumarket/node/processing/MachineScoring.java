package io.gpumarket.node.processing;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineEvent.ReliabilityScored;
import io.gpumarket.events.machine.MachineEvent.VerificationChanged;
import io.gpumarket.events.machine.Verification;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.gpumarket.kit.projection.RowsById;
import io.gpumarket.node.domain.Reliability;
import io.gpumarket.node.domain.Rescoring;
import io.gpumarket.node.domain.VerificationPolicy;
import io.gpumarket.node.projection.MachineRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes machines' reliability scores and verification changes on {@code gpumarket.machines}
 * ({@code ReliabilityScored}, {@code VerificationChanged}) as {@link Rescoring} decides them: every
 * {@code gpumarket.node.scoring-interval} for the machines whose history changed since (the
 * machine projection reports them), and all machines every {@code gpumarket.node.rescore-all-every},
 * because uptime over a rolling window moves with time alone. Waits until the projections are
 * current, so it judges what the log says.
 */
@ApplicationScoped
public class MachineScoring {
    private static final Logger LOG = Logger.getLogger(MachineScoring.class);
    private static final int MACHINES_PER_TRANSACTION = 500;

    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final EventPublisher publisher;
    private final Projections projections;
    private final Clock clock;
    private final Duration interval;
    private final Duration rescoreAllEvery;
    private final Rescoring rescoring;
    private ScheduledExecutorService scheduler;
    private Instant lastFullSweep;

    public MachineScoring(EventPublisher publisher, Projections projections, Clock clock,
            @ConfigProperty(name = "gpumarket.node.scoring-interval") Duration interval,
            @ConfigProperty(name = "gpumarket.node.rescore-all-every") Duration rescoreAllEvery,
            @ConfigProperty(name = "gpumarket.node.verify-after") Duration verifyAfter) {
        this.publisher = publisher;
        this.projections = projections;
        this.clock = clock;
        this.interval = interval;
        this.rescoreAllEvery = rescoreAllEvery;
        VerificationPolicy d = VerificationPolicy.DEFAULT;
        this.rescoring = new Rescoring(Reliability.DEFAULT,
                new VerificationPolicy(verifyAfter, d.minReliabilityPpm(), d.deverifyBelowPpm()));
    }

    void onStart(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "machine-scoring");
            t.setDaemon(true);
            return t;
        });
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Machines whose history the projection just changed. */
    public void touched(Collection<String> machineIds) {
        touched.addAll(machineIds);
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("scoring machines failed; trying again", e);
        }
    }

    private void sweep() {
        if (!projections.allCaughtUp()) {
            return;
        }
        Instant now = clock.instant();
        boolean full = lastFullSweep == null || !now.isBefore(lastFullSweep.plus(rescoreAllEvery));
        List<String> ids = new ArrayList<>(touched);
        touched.removeAll(ids);
        if (full) {
            ids = QuarkusTransaction.requiringNew().call(() -> MachineRow.getEntityManager()
                    .createQuery("select m.id from MachineRow m", String.class).getResultList());
        }
        for (int from = 0; from < ids.size(); from += MACHINES_PER_TRANSACTION) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MACHINES_PER_TRANSACTION));
            List<Event> events = QuarkusTransaction.requiringNew().call(() -> decide(chunk, now));
            if (!events.isEmpty()) {
                publisher.publish(events);
            }
        }
        if (full) {
            lastFullSweep = now;
        }
    }

    private List<Event> decide(List<String> ids, Instant now) {
        List<Event> out = new ArrayList<>();
        for (MachineRow m : RowsById.load(MachineRow.class, ids, r -> r.id).values()) {
            Rescoring.Outcome o = rescoring.decide(machine(m), now);
            o.score().ifPresent(s -> out.add(new ReliabilityScored(EventMeta.of(UUID.randomUUID(), m.id, 0, now),
                    s.reliabilityPpm(), s.uptimePpm(), s.failedStarts(), s.rentalDisconnects())));
            o.verification().ifPresent(v -> out.add(new VerificationChanged(
                    EventMeta.of(UUID.randomUUID(), m.id, 0, now), v.stage(), v.reason())));
        }
        return out;
    }

    private static Rescoring.Machine machine(MachineRow m) {
        List<CheckResult> checks = MachineRow.read(m.checks, new TypeReference<>() {});
        return new Rescoring.Machine(m.history(), m.reliabilityPpm, m.failedStarts, m.rentalDisconnects,
                Verification.valueOf(m.verification.toUpperCase(Locale.ROOT)), m.verificationSince,
                checks.stream().allMatch(CheckResult::ok), m.benchmarkWithinRange, m.benchmarkAt);
    }
}
