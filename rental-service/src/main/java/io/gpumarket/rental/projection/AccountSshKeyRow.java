package io.gpumarket.rental.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account's SSH public key, to put into its instances. */
@Entity
@Table(name = "account_ssh_key")
public class AccountSshKeyRow extends PanacheEntityBase {
    @Id
    @Column(name = "key_id")
    public String keyId;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "public_key")
    public String publicKey;
}
