package io.gpumarket.rental.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An instance as its owner sees it. {@code placed} once GPUs were allocated; {@code refusal} if refused. */
@Entity
@Table(name = "instance")
public class InstanceRow extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "machine_id")
    public String machineId;
    @Column(name = "offer_id")
    public String offerId;
    public String label;
    public String status;
    @Column(name = "status_reason")
    public String statusReason;
    public String refusal;
    public boolean placed;
    @Column(name = "num_gpus")
    public int numGpus;
    public String image;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "end_date")
    public Instant endDate;
    @Column(name = "price_per_hour")
    public long pricePerHour;
    @Column(name = "cost_so_far")
    public long costSoFar;
}
