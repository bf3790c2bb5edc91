package io.gpumarket.events.usage;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.rental.Contract;
import java.time.Instant;

/**
 * Topic {@code gpumarket.usage}, key = machine id, written by rental-service: usage intervals per
 * instance, closed at each status change and at least every 4 s while open, with one-second
 * boundaries. Each interval also carries the instance's running totals after it (online seconds,
 * seconds of kept storage, and the bytes its container sent and received as the host agent counted
 * them), so billing prices cumulative usage and rounding never drifts.
 */
public sealed interface UsageEvent extends Event {

    @JsonTypeName("usage.recorded.v1")
    record UsageRecorded(EventMeta meta, String instanceId, String accountId, String hostAccountId, Instant start,
            Instant end, Contract contract, long onlineSeconds, long storageSeconds, long trafficBytes,
            long onlineSecondsTotal, long storageSecondsTotal, long trafficBytesTotal) implements UsageEvent {}
}
