package io.gpumarket.rental.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An instance as its owner sees it. Each source topic fills its own columns: the request's
 * (nullable until it is applied), {@code refusal}, {@code placed}, the latest status by the
 * machine aggregate's seq, and the cost.
 */
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
    @Column(name = "status_seq")
    public long statusSeq;
    public String refusal;
    @Column(name = "refusal_reason")
    public String refusalReason;
    public boolean placed;
    @Column(name = "num_gpus")
    public Integer numGpus;
    public String image;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "end_date")
    public Instant endDate;
    /** Set by the host's extensions, which may be applied before the request itself. */
    @Column(name = "extended_end_date")
    public Instant extendedEndDate;
    @Column(name = "price_per_hour")
    public Long pricePerHour;
    @Column(name = "cost_so_far")
    public long costSoFar;
    @Column(name = "charging_paused")
    public boolean chargingPaused;
    @Column(name = "rental_type")
    public String rentalType;
    @Column(name = "reserved_months")
    public Integer reservedMonths;
    @Column(name = "reserved_discount_bps")
    public Integer reservedDiscountBps;
    @Column(name = "reserved_until")
    public Instant reservedUntil;
    public Long prepaid;
    @Column(name = "launch_mode")
    public String launchMode;
    @Column(name = "jupyter_token")
    public String jupyterToken;
    /** Where the agent last reported the running container reachable. */
    @Column(name = "access_host")
    public String accessHost;
    @Column(name = "ssh_port")
    public Integer sshPort;
    @Column(name = "jupyter_port")
    public Integer jupyterPort;
    /** The bid per GPU-hour as last changed (null: as requested), and the meter that change started. */
    public Long bid;
    @Column(name = "bid_meter")
    public int bidMeter;

    /** The status to show: a refusal is final; before any status event the instance is creating. */
    public String shownStatus() {
        return refusal != null ? "rental_error" : status != null ? status : "creating";
    }

    public String shownReason() {
        return refusal != null ? refusalReason : status != null ? statusReason : "waiting for the decision";
    }

    /** The price per hour of all its GPUs: the latest bid, or the contract's price. */
    public Long shownPricePerHour() {
        return bid != null && numGpus != null ? Math.multiplyExact(bid, numGpus) : pricePerHour;
    }

    /** The contract's end: the latest extension, if any, else the end it was made with. */
    public Instant shownEndDate() {
        return extendedEndDate != null && (endDate == null || extendedEndDate.isAfter(endDate)) ? extendedEndDate : endDate;
    }

    /** True once the request itself has been applied (its columns are set). */
    public boolean requested() {
        return accountId != null;
    }
}
