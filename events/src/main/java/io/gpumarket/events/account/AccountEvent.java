package io.gpumarket.events.account;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;

/**
 * Topic {@code gpumarket.accounts}, key = account id, written by billing-service. The gateway learns
 * API keys (only their SHA-256 hashes travel) from these events.
 */
public sealed interface AccountEvent extends Event {

    @JsonTypeName("account.opened.v1")
    record AccountOpened(EventMeta meta, String name, String email, Role role) implements AccountEvent {}

    @JsonTypeName("account.api-key-issued.v1")
    record ApiKeyIssued(EventMeta meta, String keyId, String keyHash, boolean readOnly) implements AccountEvent {}

    @JsonTypeName("account.api-key-revoked.v1")
    record ApiKeyRevoked(EventMeta meta, String keyId) implements AccountEvent {}

    @JsonTypeName("account.ssh-key-added.v1")
    record SshKeyAdded(EventMeta meta, String keyId, String name, String publicKey, String fingerprint)
            implements AccountEvent {}

    @JsonTypeName("account.ssh-key-removed.v1")
    record SshKeyRemoved(EventMeta meta, String keyId) implements AccountEvent {}
}
