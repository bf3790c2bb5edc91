package io.gpumarket.billing.processing;

import io.gpumarket.billing.domain.ChargedUsage;
import io.gpumarket.billing.domain.FeePolicy;
import io.gpumarket.billing.domain.ReservationCharge;
import io.gpumarket.billing.domain.Tariff;
import io.gpumarket.billing.domain.UsageCharge;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent.ReservationCharged;
import io.gpumarket.events.ledger.LedgerEvent.ReservationRefunded;
import io.gpumarket.events.ledger.LedgerEvent.UsageCharged;
import io.gpumarket.events.usage.UsageEvent;
import io.gpumarket.events.usage.UsageEvent.ReservationEnded;
import io.gpumarket.events.usage.UsageEvent.ReservationPrepaid;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import io.gpumarket.kit.processing.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Reads {@code gpumarket.usage} and writes {@code gpumarket.ledger}: for each usage interval one
 * balanced posting ({@code ledger.usage-charged.v1}, keyed by the client) of the client's charge,
 * the host's earning and the platform's fee. Exactly once: the runner commits the posting and the
 * usage offset in one Kafka transaction, and {@link ChargedUsage} charges only usage beyond what
 * was charged before, so a repeated interval books nothing. A reserved instance's prepayment
 * ({@code ledger.reservation-charged.v1}) and, if it ends early, its refund
 * ({@code ledger.reservation-refunded.v1}) are booked once per instance, by {@link ReservationCharge}.
 */
@ApplicationScoped
public class UsageCharger implements Processor<ChargedUsage> {
    private static final String PREPAID = "prepaid";
    private static final String ENDED = "ended";
    private final FeePolicy fees;

    public UsageCharger(FeePolicy fees) {
        this.fees = fees;
    }

    @Override
    public String name() {
        return "billing-usage-charger";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.USAGE);
    }

    @Override
    public ChargedUsage emptyState() {
        return new ChargedUsage();
    }

    @Override
    public boolean isInput(Class<? extends Event> type) {
        return UsageEvent.class.isAssignableFrom(type);
    }

    @Override
    public void evolve(ChargedUsage state, Event event) {
        if (event instanceof UsageRecorded u) {
            state.record(u);
        } else if (event instanceof ReservationPrepaid p) {
            state.recordReservation(PREPAID, p.instanceId());
        } else if (event instanceof ReservationEnded x) {
            state.recordReservation(ENDED, x.instanceId());
        }
    }

    @Override
    public List<Event> decide(ChargedUsage state, Event input, Instant now) {
        if (input instanceof ReservationPrepaid p) {
            return prepaid(state, p);
        } else if (input instanceof ReservationEnded x) {
            return refunded(state, x);
        }
        UsageRecorded u = (UsageRecorded) input;
        ChargedUsage.Step step = state.lastStep(u.meterKey());
        UsageCharge c = UsageCharge.between(u.contract(), step.before(), step.after(), fees);
        if (c.isZero()) {
            return List.of();
        }
        long rate = u.onlineSeconds() > 0 ? Tariff.onlinePerHour(u.contract())
                : u.storageSeconds() > 0 ? Tariff.storagePerHour(u.contract()) : 0;
        UUID id = UUID.nameUUIDFromBytes((u.meta().eventId() + ":charge").getBytes(StandardCharsets.UTF_8));
        EventMeta meta = new EventMeta(id, u.accountId(), 0, u.end(), u.meta().requestId());
        return List.of(new UsageCharged(meta, id.toString(), -c.chargedMicros(), u.instanceId(),
                u.meta().aggregateId(), u.hostAccountId(), u.start(), u.end(), c.gpuMicros(), c.storageMicros(),
                c.bandwidthMicros(), c.feeMicros(), c.earningMicros(), rate));
    }

    private List<Event> prepaid(ChargedUsage state, ReservationPrepaid p) {
        if (!state.reservationSeenOnce(PREPAID, p.instanceId())) {
            return List.of();
        }
        ReservationCharge c = ReservationCharge.prepaid(p.contract(), fees);
        UUID id = entryId(p.instanceId(), PREPAID);
        return List.of(new ReservationCharged(new EventMeta(id, p.accountId(), 0, p.meta().occurredAt(),
                p.meta().requestId()), id.toString(), c.amountMicros(), p.instanceId(), p.meta().aggregateId(),
                p.hostAccountId(), p.contract().reservation().from(), p.contract().reservation().until(), c.feeMicros(),
                c.earningMicros()));
    }

    private List<Event> refunded(ChargedUsage state, ReservationEnded x) {
        ReservationCharge c = ReservationCharge.refund(x.contract(), x.endedAt(), fees);
        if (!state.reservationSeenOnce(ENDED, x.instanceId()) || c.isZero()) {
            return List.of();
        }
        UUID id = entryId(x.instanceId(), ENDED);
        return List.of(new ReservationRefunded(new EventMeta(id, x.accountId(), 0, x.meta().occurredAt(),
                x.meta().requestId()), id.toString(), c.amountMicros(), x.instanceId(), x.meta().aggregateId(),
                x.hostAccountId(), x.endedAt(), c.feeMicros(), c.earningMicros()));
    }

    private static UUID entryId(String instanceId, String kind) {
        return UUID.nameUUIDFromBytes(("reservation:" + instanceId + ":" + kind).getBytes(StandardCharsets.UTF_8));
    }
}
