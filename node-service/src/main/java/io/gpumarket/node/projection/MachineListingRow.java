package io.gpumarket.node.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A machine's listing terms (JSON) while it is listed. */
@Entity
@Table(name = "machine_listing")
public class MachineListingRow extends PanacheEntityBase {
    @Id
    @Column(name = "machine_id")
    public String machineId;
    public String terms;
}
