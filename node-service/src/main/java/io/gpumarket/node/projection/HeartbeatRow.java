package io.gpumarket.node.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A machine's latest heartbeat (JSON columns as the event carried them) and when it was received,
 * the heartbeats counted for it, and the (boot, seq) window that keeps a heartbeat written twice
 * from counting twice.
 */
@Entity
@Table(name = "machine_heartbeat")
public class HeartbeatRow extends PanacheEntityBase {
    @Id
    @Column(name = "machine_id")
    public String machineId;
    @Column(name = "boot_id")
    public String bootId;
    @Column(name = "max_seq")
    public long maxSeq;
    @Column(name = "seen_mask")
    public long seenMask;
    public long beats;
    @Column(name = "sampled_at")
    public Instant sampledAt;
    /** When the latest heartbeat reached a node-service replica, by that replica's clock. */
    @Column(name = "received_at")
    public Instant receivedAt;
    public String gpus;
    @Column(name = "disk_free_gb")
    public Long diskFreeGb;
    public String running;
    public String traffic;
}
