package io.gpumarket.events.account;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import java.time.Instant;

/**
 * Topic {@code gpumarket.accounts}, key = account id, written by billing-service. The gateway learns
 * API keys (only their SHA-256 hashes travel) from these events; rental-service learns an account's
 * standing (suspended, active again, grace expired) from them.
 */
public sealed interface AccountEvent extends Event {

    @JsonTypeName("account.opened.v1")
    record AccountOpened(EventMeta meta, String name, String email, Role role) implements AccountEvent {}

    /** {@code name} is the label the owner gave the key (null for an account's first key). */
    @JsonTypeName("account.api-key-issued.v1")
    record ApiKeyIssued(EventMeta meta, String keyId, String keyHash, boolean readOnly, String name)
            implements AccountEvent {
        public ApiKeyIssued(EventMeta meta, String keyId, String keyHash, boolean readOnly) {
            this(meta, keyId, keyHash, readOnly, null);
        }
    }

    @JsonTypeName("account.api-key-revoked.v1")
    record ApiKeyRevoked(EventMeta meta, String keyId) implements AccountEvent {}

    @JsonTypeName("account.ssh-key-added.v1")
    record SshKeyAdded(EventMeta meta, String keyId, String name, String publicKey, String fingerprint)
            implements AccountEvent {}

    @JsonTypeName("account.ssh-key-removed.v1")
    record SshKeyRemoved(EventMeta meta, String keyId) implements AccountEvent {}

    /** The balance covers less than one hour of the account's current burn. */
    @JsonTypeName("account.low-balance-warned.v1")
    record LowBalanceWarned(EventMeta meta, long balanceMicros, long burnPerHourMicros) implements AccountEvent {}

    /** The balance reached zero: nothing is charged and the instances are stopped until a deposit. */
    @JsonTypeName("account.suspended.v1")
    record AccountSuspended(EventMeta meta, long balanceMicros) implements AccountEvent {}

    /** A deposit brought a suspended account's balance above zero. */
    @JsonTypeName("account.reactivated.v1")
    record AccountReactivated(EventMeta meta, long balanceMicros) implements AccountEvent {}

    /** Suspended since {@code suspendedAt} for the whole grace period: the instances are terminated. */
    @JsonTypeName("account.suspension-grace-expired.v1")
    record SuspensionGraceExpired(EventMeta meta, Instant suspendedAt) implements AccountEvent {}
}
