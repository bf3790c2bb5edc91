package io.gpumarket.node.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/**
 * A piece of work for a host agent; it is pending until the agent reports on it ({@code reported},
 * also set when the report was projected first: {@code work_report} keeps every report).
 */
@Entity
@Table(name = "host_work")
public class HostWorkRow extends PanacheEntityBase {
    @Id
    @Column(name = "work_id")
    public String workId;
    @Column(name = "machine_id")
    public String machineId;
    @Column(name = "instance_id")
    public String instanceId;
    /** The agent-channel message that delivers this work. */
    public String message;
    @Column(name = "partition_")
    public int partition;
    @Column(name = "log_offset")
    public long logOffset;
    public boolean reported;

    /** Work not reported on yet for any of the machines, oldest first. */
    public static List<HostWorkRow> pendingFor(java.util.Collection<String> machineIds) {
        return list("machineId in ?1 and reported = false order by partition, logOffset", machineIds);
    }

    public static List<HostWorkRow> pendingFor(String machineId) {
        return list("machineId = ?1 and reported = false order by partition, logOffset", machineId);
    }
}
