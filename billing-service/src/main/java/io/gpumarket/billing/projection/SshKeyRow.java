package io.gpumarket.billing.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An SSH public key an account keeps for its instances. */
@Entity
@Table(name = "ssh_key")
public class SshKeyRow extends PanacheEntityBase {
    @Id
    @Column(name = "key_id")
    public String keyId;
    @Column(name = "account_id")
    public String accountId;
    public String name;
    @Column(name = "public_key")
    public String publicKey;
    public String fingerprint;
    @Column(name = "added_at")
    public Instant addedAt;
}
