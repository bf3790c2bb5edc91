package io.gpumarket.billing.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API key of an account: only its hash, never the key. */
@Entity
@Table(name = "api_key")
public class ApiKeyRow extends PanacheEntityBase {
    @Id
    @Column(name = "key_id")
    public String keyId;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "key_hash")
    public String keyHash;
    @Column(name = "read_only")
    public boolean readOnly;
    public String name;
    public boolean revoked;
    @Column(name = "issued_at")
    public Instant issuedAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
