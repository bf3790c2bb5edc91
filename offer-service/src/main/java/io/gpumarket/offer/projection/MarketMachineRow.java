package io.gpumarket.offer.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A machine as the market sees it: spec and health. */
@Entity
@Table(name = "market_machine")
public class MarketMachineRow extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "host_account_id")
    public String hostAccountId;
    @Column(name = "gpu_model")
    public String gpuModel;
    @Column(name = "gpu_count")
    public int gpuCount;
    @Column(name = "gpu_ram_gb")
    public int gpuRamGb;
    @Column(name = "cpu_cores")
    public int cpuCores;
    @Column(name = "ram_gb")
    public int ramGb;
    @Column(name = "disk_gb")
    public int diskGb;
    public String region;
    @Column(name = "inet_up_mbps")
    public int inetUpMbps;
    @Column(name = "inet_down_mbps")
    public int inetDownMbps;
    /** Names of the hardware checks it failed, comma-separated, or null when all passed. */
    @Column(name = "failed_checks")
    public String failedChecks;
    public boolean online;
}
