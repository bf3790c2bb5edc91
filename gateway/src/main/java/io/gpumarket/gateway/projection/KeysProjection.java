package io.gpumarket.gateway.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.ApiKeyIssued;
import io.gpumarket.events.account.AccountEvent.ApiKeyRevoked;
import io.gpumarket.kit.projection.MemoryProjection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's own view of who may call, in memory on every replica: accounts' roles and their
 * API key hashes, from {@code gpumarket.accounts} (read from offset 0 at start). The gateway never
 * asks billing-service, nor a database, per request; a revocation stops the key as soon as it is on
 * the log. An account and its keys share a partition, so their events arrive in order.
 */
@ApplicationScoped
public class KeysProjection implements MemoryProjection {
    /** An authenticated caller. */
    public record KeyOwner(String accountId, String role, boolean readOnly) {}

    private record Key(String keyId, String accountId, boolean readOnly) {}

    private final Map<String, String> roles = new ConcurrentHashMap<>();
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, String> hashById = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "gateway-keys";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.ACCOUNTS);
    }

    @Override
    public void apply(Event event) {
        if (event instanceof AccountOpened o) {
            roles.putIfAbsent(o.aggregateId(), o.role().wire());
        } else if (event instanceof ApiKeyIssued k) {
            keys.putIfAbsent(k.keyHash(), new Key(k.keyId(), k.aggregateId(), k.readOnly()));
            hashById.putIfAbsent(k.keyId(), k.keyHash());
        } else if (event instanceof ApiKeyRevoked r) {
            String hash = hashById.get(r.keyId());
            if (hash != null) {
                keys.remove(hash);
            }
        }
    }

    @Override
    public void reset() {
        keys.clear();
        hashById.clear();
        roles.clear();
    }

    @Override
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(roles).forEach((id, role) -> sha.update((id + "=" + role + "\n").getBytes(StandardCharsets.UTF_8)));
            new TreeMap<>(keys).forEach((hash, k) -> sha.update((hash + "=" + k + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the key with this id is live here (issued and not revoked). */
    public boolean isLive(String keyId) {
        String hash = hashById.get(keyId);
        return hash != null && keys.containsKey(hash);
    }

    /** The owner of a live key with this hash. */
    public Optional<KeyOwner> owner(String keyHash) {
        Key k = keys.get(keyHash);
        String role = k == null ? null : roles.get(k.accountId());
        return role == null ? Optional.empty() : Optional.of(new KeyOwner(k.accountId(), role, k.readOnly()));
    }
}
