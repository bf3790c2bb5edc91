package io.gpumarket.offer.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An instance whose GPUs were released: its allocation, whenever it is applied, holds nothing. */
@Entity
@Table(name = "gpu_release")
public class GpuReleaseRow extends PanacheEntityBase {
    @Id
    @Column(name = "instance_id")
    public String instanceId;
}
