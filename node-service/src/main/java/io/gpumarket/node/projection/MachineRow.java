package io.gpumarket.node.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A registered machine; {@code spec} and {@code checks} are the JSON the registration event carried. */
@Entity
@Table(name = "machine")
public class MachineRow extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "host_account_id")
    public String hostAccountId;
    public String spec;
    public String checks;
    @Column(name = "agent_token_hash")
    public String agentTokenHash;
    public boolean online;
    @Column(name = "registered_at")
    public Instant registeredAt;
    public boolean maintenance;
    @Column(name = "driver_version")
    public String driverVersion;
    @Column(name = "cuda_version")
    public String cudaVersion;
}
