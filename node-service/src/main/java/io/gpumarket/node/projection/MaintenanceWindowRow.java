package io.gpumarket.node.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A maintenance window a host announced for a machine. */
@Entity
@Table(name = "maintenance_window")
public class MaintenanceWindowRow extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "machine_id")
    public String machineId;
    @Column(name = "start_at")
    public Instant start;
    @Column(name = "end_at")
    public Instant end;
    public String reason;

    /** The machine's windows that have not ended at {@code now}, soonest first. */
    public static List<MaintenanceWindowRow> upcoming(String machineId, Instant now) {
        return list("machineId = ?1 and end > ?2 order by start, id", machineId, now);
    }
}
