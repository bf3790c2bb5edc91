package io.gpumarket.rental.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which machine and GPU count an offer id names. */
@Entity
@Table(name = "offer_ref")
public class OfferRefRow extends PanacheEntityBase {
    @Id
    @Column(name = "offer_id")
    public String offerId;
    @Column(name = "machine_id")
    public String machineId;
    @Column(name = "num_gpus")
    public int numGpus;
}
