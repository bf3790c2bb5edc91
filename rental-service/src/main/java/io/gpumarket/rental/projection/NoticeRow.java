package io.gpumarket.rental.projection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A notice to an instance's renter, keyed by the event that issued it. */
@Entity
@Table(name = "instance_notice")
public class NoticeRow extends PanacheEntityBase {
    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "instance_id")
    public String instanceId;
    public Instant at;
    public String kind;
    public String message;
    @Column(name = "start_at")
    public Instant start;
    @Column(name = "end_at")
    public Instant end;

    public static List<NoticeRow> of(String instanceId) {
        return list("instanceId = ?1 order by at, eventId", instanceId);
    }
}
