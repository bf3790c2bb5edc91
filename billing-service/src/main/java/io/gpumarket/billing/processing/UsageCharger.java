package io.gpumarket.billing.processing;

import io.gpumarket.billing.domain.ChargedUsage;
import io.gpumarket.billing.domain.FeePolicy;
import io.gpumarket.billing.domain.Tariff;
import io.gpumarket.billing.domain.UsageCharge;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent.UsageCharged;
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
 * was charged before, so a repeated interval books nothing.
 */
@ApplicationScoped
public class UsageCharger implements Processor<ChargedUsage> {
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
    public boolean isInput(Event event) {
        return event instanceof UsageRecorded;
    }

    @Override
    public void evolve(ChargedUsage state, Event event) {
        if (event instanceof UsageRecorded u) {
            state.record(u);
        }
    }

    @Override
    public List<Event> decide(ChargedUsage state, Event input, Instant now) {
        UsageRecorded u = (UsageRecorded) input;
        ChargedUsage.Step step = state.lastStep(u.instanceId());
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
}
