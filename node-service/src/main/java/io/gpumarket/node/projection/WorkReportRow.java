package io.gpumarket.node.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The agent has reported on this piece of work. */
@Entity
@Table(name = "work_report")
public class WorkReportRow extends PanacheEntityBase {
    @Id
    @Column(name = "work_id")
    public String workId;
}
