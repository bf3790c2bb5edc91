package io.gpumarket.offer.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A machine's latest listing terms (micro-dollars), and whether it is listed now. */
@Entity
@Table(name = "market_listing")
public class MarketListingRow extends PanacheEntityBase {
    @Id
    @Column(name = "machine_id")
    public String machineId;
    public boolean listed;
    @Column(name = "gpu_price")
    public long gpuPrice;
    @Column(name = "storage_price")
    public long storagePrice;
    @Column(name = "bandwidth_price")
    public long bandwidthPrice;
    @Column(name = "min_gpus")
    public int minGpus;
    @Column(name = "min_bid")
    public long minBid;
    @Column(name = "reserved_discount_bps")
    public int reservedDiscountBps;
    @Column(name = "end_date")
    public Instant endDate;
}
