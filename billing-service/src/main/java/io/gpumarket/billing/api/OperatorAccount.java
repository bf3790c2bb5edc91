package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.ApiKeyRow;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.ApiKeyIssued;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.events.account.Role;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Opens the operator account ({@code id = operator}) with the first operator key from
 * configuration ({@code gpumarket.operator.api-key}), once the accounts projection has caught up
 * and only if that key is not on the log yet. Later operator keys are ordinary API keys.
 */
@ApplicationScoped
public class OperatorAccount {
    private static final Logger LOG = Logger.getLogger(OperatorAccount.class);
    public static final String ID = "operator";

    private final Optional<String> configuredKey;
    private final EventPublisher publisher;
    private final Projections projections;
    private final Clock clock;

    public OperatorAccount(@ConfigProperty(name = "gpumarket.operator.api-key") Optional<String> configuredKey,
            EventPublisher publisher, Projections projections, Clock clock) {
        this.configuredKey = configuredKey.filter(k -> !k.isBlank());
        this.publisher = publisher;
        this.projections = projections;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(300) StartupEvent event) {
        configuredKey.ifPresent(key -> {
            Thread t = new Thread(() -> open(key), "operator-account");
            t.setDaemon(true);
            t.start();
        });
    }

    private void open(String key) {
        while (!projections.allCaughtUp()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
        String hash = KeyHash.of(key);
        boolean known = QuarkusTransaction.requiringNew().call(() -> ApiKeyRow.count("keyHash", hash) > 0);
        if (known) {
            return;
        }
        var now = clock.instant();
        long version = QuarkusTransaction.requiringNew().call(() -> {
            var a = io.gpumarket.billing.projection.AccountRow.<io.gpumarket.billing.projection.AccountRow>findByIdOptional(ID);
            return a.map(r -> r.version).orElse(0L);
        });
        var events = version == 0
                ? List.of(new AccountOpened(EventMeta.of(UUID.randomUUID(), ID, 1, now), "gpumarket operator",
                        "operator@localhost", Role.OPERATOR),
                        new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), ID, 2, now), "operator-initial", hash, false))
                : List.of(new ApiKeyIssued(EventMeta.of(UUID.randomUUID(), ID, version + 1, now),
                        "operator-" + UUID.randomUUID(), hash, false));
        publisher.publish(events);
        LOG.info("opened the operator account with the configured key");
    }
}
