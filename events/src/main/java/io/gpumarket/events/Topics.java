package io.gpumarket.events;

import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.heartbeat.HeartbeatEvent;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.machine.MachineEvent;
import io.gpumarket.events.offer.OfferEvent;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.status.StatusEvent;
import io.gpumarket.events.usage.UsageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The topic registry: every topic of gpumarket, its value type and its one writer. All event topics
 * have the same partition count, so topics keyed by the same ids (machine, account) are
 * co-partitioned and one consumer can own an aggregate's records in all of them.
 */
public final class Topics {
    private Topics() {}

    public static final int PARTITIONS = 6;
    private static final long HEARTBEAT_RETENTION_MS = Duration.ofDays(7).toMillis();

    public static final TopicSpec<AccountEvent> ACCOUNTS =
            new TopicSpec<>("gpumarket.accounts", AccountEvent.class, Service.BILLING, TopicSpec.FOREVER, PARTITIONS);
    public static final TopicSpec<LedgerEvent> LEDGER =
            new TopicSpec<>("gpumarket.ledger", LedgerEvent.class, Service.BILLING, TopicSpec.FOREVER, PARTITIONS);
    public static final TopicSpec<MachineEvent> MACHINES =
            new TopicSpec<>("gpumarket.machines", MachineEvent.class, Service.NODE, TopicSpec.FOREVER, PARTITIONS);
    public static final TopicSpec<HeartbeatEvent> HEARTBEATS = new TopicSpec<>(
            "gpumarket.heartbeats", HeartbeatEvent.class, Service.NODE, HEARTBEAT_RETENTION_MS, PARTITIONS);
    public static final TopicSpec<OfferEvent> OFFERS =
            new TopicSpec<>("gpumarket.offers", OfferEvent.class, Service.OFFER, TopicSpec.FOREVER, PARTITIONS);
    public static final TopicSpec<RentalEvent> RENTALS =
            new TopicSpec<>("gpumarket.rentals", RentalEvent.class, Service.RENTAL, TopicSpec.FOREVER, PARTITIONS);
    public static final TopicSpec<StatusEvent> STATUS =
            new TopicSpec<>("gpumarket.status", StatusEvent.class, Service.RENTAL, TopicSpec.FOREVER, PARTITIONS);
    public static final TopicSpec<UsageEvent> USAGE =
            new TopicSpec<>("gpumarket.usage", UsageEvent.class, Service.RENTAL, TopicSpec.FOREVER, PARTITIONS);

    public static final List<TopicSpec<? extends Event>> EVENT_TOPICS =
            List.of(ACCOUNTS, LEDGER, MACHINES, HEARTBEATS, OFFERS, RENTALS, STATUS, USAGE);

    /** Where a service puts records it could not read or handle, with the reason in headers. */
    public static TopicSpec<byte[]> deadLetters(Service service) {
        return new TopicSpec<>("gpumarket.dead-letters." + service.artifact(), byte[].class, service,
                TopicSpec.FOREVER, 1);
    }

    /** Every topic: the event topics and each service's dead-letter topic. */
    public static List<TopicSpec<?>> all() {
        var all = new java.util.ArrayList<TopicSpec<?>>(EVENT_TOPICS);
        for (Service s : Service.values()) {
            all.add(deadLetters(s));
        }
        return List.copyOf(all);
    }

    /** The one topic whose value type the event belongs to. */
    public static TopicSpec<? extends Event> of(Event event) {
        return EVENT_TOPICS.stream().filter(t -> t.valueType().isInstance(event)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no topic for " + event.getClass().getName()));
    }

    public static Optional<TopicSpec<? extends Event>> byName(String name) {
        return EVENT_TOPICS.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
