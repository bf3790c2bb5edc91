package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.AccountRow;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

/**
 * Publishes an account's own changes (its API and SSH keys) on {@code gpumarket.accounts}, one at
 * a time per account: each event is numbered after the last one the accounts projection holds, and
 * the call returns once the projection holds it too. Two requests of one account that race would
 * otherwise take the same number, and the projection would skip the second as already applied.
 */
@ApplicationScoped
public class AccountChanges {
    private final Object[] stripes = new Object[64];
    private final EventPublisher publisher;
    private final Projections projections;
    private final Callers callers;
    private final Clock clock;

    public AccountChanges(EventPublisher publisher, Projections projections, Callers callers, Clock clock) {
        this.publisher = publisher;
        this.projections = projections;
        this.callers = callers;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Publishes the event {@code change} makes from the next metadata of {@code account} (404 if
     * there is no such account). {@code change} runs under the account's lock, after its previous
     * change is projected, so it may check the account's rows and refuse with a {@link Problem}.
     */
    public <E extends Event> E publish(String account, Function<EventMeta, E> change) {
        String requestId = callers.requestId();
        synchronized (stripes[Math.floorMod(account.hashCode(), stripes.length)]) {
            long version = QuarkusTransaction.requiringNew().call(() -> {
                AccountRow a = AccountRow.findById(account);
                if (a == null) {
                    throw Problem.notFound("account");
                }
                return a.version;
            });
            E event = change.apply(new EventMeta(UUID.randomUUID(), account, version + 1, clock.instant(), requestId));
            projections.awaitApplied(publisher.publish(event), AccountsResource.READ_YOUR_WRITES);
            return event;
        }
    }
}
