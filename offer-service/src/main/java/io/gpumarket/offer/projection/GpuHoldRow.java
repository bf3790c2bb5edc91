package io.gpumarket.offer.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The GPUs one instance holds on a machine. */
@Entity
@Table(name = "gpu_hold")
public class GpuHoldRow extends PanacheEntityBase {
    @Id
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "machine_id")
    public String machineId;
    public int gpus;
}
