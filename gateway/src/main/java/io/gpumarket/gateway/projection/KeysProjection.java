package io.gpumarket.gateway.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.ApiKeyIssued;
import io.gpumarket.events.account.AccountEvent.ApiKeyRevoked;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's own view of who may call: accounts' roles and their API key hashes, from
 * {@code gpumarket.accounts}. The gateway never asks billing-service; it authenticates from this.
 */
@ApplicationScoped
public class KeysProjection implements Projection {
    private final EntityManager em;

    public KeysProjection(EntityManager em) {
        this.em = em;
    }

    /** An authenticated caller. */
    public record KeyOwner(String accountId, String role, boolean readOnly) {}

    @Override
    public String name() {
        return "gateway-keys";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.ACCOUNTS);
    }

    @Override
    public List<String> tables() {
        return List.of("gateway_account", "gateway_key");
    }

    @Override
    public void apply(Event event, Position position) {
        if (event instanceof AccountOpened o) {
            em.createNativeQuery("INSERT INTO gateway_account (id, role) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                    .setParameter(1, o.aggregateId()).setParameter(2, o.role().wire()).executeUpdate();
        } else if (event instanceof ApiKeyIssued k) {
            em.createNativeQuery("INSERT INTO gateway_key (key_hash, key_id, account_id, read_only, revoked)"
                    + " VALUES (?1, ?2, ?3, ?4, false) ON CONFLICT DO NOTHING")
                    .setParameter(1, k.keyHash()).setParameter(2, k.keyId()).setParameter(3, k.aggregateId())
                    .setParameter(4, k.readOnly()).executeUpdate();
        } else if (event instanceof ApiKeyRevoked r) {
            em.createNativeQuery("UPDATE gateway_key SET revoked = true WHERE key_id = ?1")
                    .setParameter(1, r.keyId()).executeUpdate();
        }
    }

    /** The owner of a live key with this hash. Call inside a transaction. */
    public Optional<KeyOwner> owner(String keyHash) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT k.account_id, a.role, k.read_only FROM gateway_key k"
                + " JOIN gateway_account a ON a.id = k.account_id WHERE k.key_hash = ?1 AND NOT k.revoked")
                .setParameter(1, keyHash).getResultList();
        return rows.stream().findFirst()
                .map(r -> new KeyOwner((String) r[0], (String) r[1], (Boolean) r[2]));
    }
}
