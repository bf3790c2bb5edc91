package io.gpumarket.rental.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A machine's listing terms as rental-service reads them from the log (prices in micro-dollars). */
@Entity
@Table(name = "rentable_machine")
public class RentableMachineRow extends PanacheEntityBase {
    @Id
    @Column(name = "machine_id")
    public String machineId;
    @Column(name = "host_account_id")
    public String hostAccountId;
    @Column(name = "gpu_model")
    public String gpuModel;
    @Column(name = "gpu_count")
    public int gpuCount;
    public boolean listed;
    @Column(name = "gpu_price")
    public Long gpuPrice;
    @Column(name = "storage_price")
    public Long storagePrice;
    @Column(name = "bandwidth_price")
    public Long bandwidthPrice;
    @Column(name = "min_gpus")
    public Integer minGpus;
    @Column(name = "disk_gb")
    public Integer diskGb;
    @Column(name = "cpu_cores")
    public Integer cpuCores;
    @Column(name = "ram_gb")
    public Integer ramGb;
    @Column(name = "min_bid")
    public Long minBid;
    @Column(name = "reserved_discount_max_bps")
    public Integer reservedDiscountMaxBps;
    @Column(name = "end_date")
    public Instant endDate;
}
