package io.gpumarket.node.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.events.serde.EventJson;
import io.gpumarket.node.domain.UptimeHistory;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A registered machine as {@code gpumarket.machines} tells it. JSON columns: {@code spec} and
 * {@code checks} as the registration carried them, {@code health} the {@link UptimeHistory}
 * reliability is computed from, {@code faultedGpus} GPU index → fault.
 */
@Entity
@Table(name = "machine")
public class MachineRow extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "host_account_id")
    public String hostAccountId;
    public String spec;
    public String checks;
    @Column(name = "agent_token_hash")
    public String agentTokenHash;
    public boolean online;
    @Column(name = "registered_at")
    public Instant registeredAt;
    public boolean maintenance;
    @Column(name = "driver_version")
    public String driverVersion;
    @Column(name = "cuda_version")
    public String cudaVersion;
    public String health;
    @Column(name = "reliability_ppm")
    public Long reliabilityPpm;
    @Column(name = "uptime_ppm")
    public Long uptimePpm;
    @Column(name = "failed_starts")
    public int failedStarts;
    @Column(name = "rental_disconnects")
    public int rentalDisconnects;
    public String verification = "unverified";
    @Column(name = "verification_since")
    public Instant verificationSince;
    @Column(name = "verification_reason")
    public String verificationReason;
    @Column(name = "dlperf_centi")
    public Long dlperfCenti;
    @Column(name = "benchmark_centi")
    public Long benchmarkCenti;
    @Column(name = "benchmark_within_range")
    public Boolean benchmarkWithinRange;
    @Column(name = "benchmark_at")
    public Instant benchmarkAt;
    @Column(name = "audit_reason")
    public String auditReason;
    @Column(name = "audit_at")
    public Instant auditAt;
    @Column(name = "faulted_gpus")
    public String faultedGpus = "{}";

    public UptimeHistory history() {
        return health == null ? UptimeHistory.NEW : read(health, new TypeReference<UptimeHistory>() {});
    }

    public Map<Integer, String> faults() {
        return new TreeMap<>(read(faultedGpus, new TypeReference<Map<Integer, String>>() {}));
    }

    public static <T> T read(String json, TypeReference<T> type) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
