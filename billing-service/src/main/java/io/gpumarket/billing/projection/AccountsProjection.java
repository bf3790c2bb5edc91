package io.gpumarket.billing.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.AccountReactivated;
import io.gpumarket.events.account.AccountEvent.AccountSuspended;
import io.gpumarket.events.account.AccountEvent.LowBalanceWarned;
import io.gpumarket.events.account.AccountEvent.SuspensionGraceExpired;
import io.gpumarket.events.account.AccountEvent.ApiKeyIssued;
import io.gpumarket.events.account.AccountEvent.ApiKeyRevoked;
import io.gpumarket.events.account.AccountEvent.SshKeyAdded;
import io.gpumarket.events.account.AccountEvent.SshKeyRemoved;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads {@code gpumarket.accounts} into the account (with its standing), api_key and ssh_key tables. */
@ApplicationScoped
public class AccountsProjection implements Projection {
    @Override
    public String name() {
        return "billing-accounts";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.ACCOUNTS);
    }

    @Override
    public List<String> tables() {
        return List.of("account", "api_key", "ssh_key");
    }

    @Override
    public void apply(Event event, Position position) {
        AccountEvent e = (AccountEvent) event;
        AccountRow account = AccountRow.findById(e.aggregateId());
        if (account != null && e.meta().seq() > 0 && account.version >= e.meta().seq()) {
            return;
        }
        if (e instanceof AccountOpened o) {
            account = new AccountRow();
            account.id = o.aggregateId();
            account.name = o.name();
            account.email = o.email();
            account.role = o.role().wire();
            account.status = "active";
            account.persist();
        } else if (e instanceof ApiKeyIssued k) {
            ApiKeyRow row = new ApiKeyRow();
            row.keyId = k.keyId();
            row.accountId = k.aggregateId();
            row.keyHash = k.keyHash();
            row.readOnly = k.readOnly();
            row.name = k.name();
            row.issuedAt = k.meta().occurredAt();
            row.persist();
        } else if (e instanceof ApiKeyRevoked r) {
            ApiKeyRow row = ApiKeyRow.findById(r.keyId());
            if (row != null) {
                row.revoked = true;
                row.revokedAt = r.meta().occurredAt();
            }
        } else if (e instanceof SshKeyAdded s) {
            SshKeyRow row = new SshKeyRow();
            row.keyId = s.keyId();
            row.accountId = s.aggregateId();
            row.name = s.name();
            row.publicKey = s.publicKey();
            row.fingerprint = s.fingerprint();
            row.addedAt = s.meta().occurredAt();
            row.persist();
        } else if (e instanceof SshKeyRemoved s) {
            SshKeyRow.deleteById(s.keyId());
        } else if (account == null) {
            return; // a standing event never precedes the account's opening on its partition
        } else if (e instanceof LowBalanceWarned w) {
            account.lowBalanceAt = w.meta().occurredAt();
        } else if (e instanceof AccountSuspended s) {
            account.status = "suspended";
            account.suspendedAt = s.meta().occurredAt();
        } else if (e instanceof AccountReactivated) {
            account.status = "active";
            account.suspendedAt = null;
            account.lowBalanceAt = null;
        } else if (e instanceof SuspensionGraceExpired) {
            // the instances are terminated by rental-service; the account stays suspended
        } else {
            throw new IllegalArgumentException("unhandled account event " + e.getClass().getSimpleName());
        }
        if (account != null && e.meta().seq() > 0) {
            account.version = e.meta().seq();
        }
    }
}
