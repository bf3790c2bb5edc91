package io.gpumarket.billing.processing;

import io.gpumarket.billing.domain.FeePolicy;
import io.gpumarket.billing.domain.UsageCharge;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.usage.UsageEvent.UsageRecorded;
import io.gpumarket.kit.processing.NoState;
import io.gpumarket.kit.processing.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads {@code gpumarket.usage} and writes {@code gpumarket.ledger}: for each usage interval, the
 * client's charge, the host's earning and the platform's fee, exactly once (the runner commits the
 * ledger entries and the usage offset in one Kafka transaction). Entry ids derive from the usage
 * event, so even a replayed interval books the same entries and projections count them once.
 */
@ApplicationScoped
public class UsageCharger implements Processor<NoState> {
    private final FeePolicy fees;
    private final String platformAccount;

    public UsageCharger(@ConfigProperty(name = "gpumarket.billing.fee-bps") int feeBps,
            @ConfigProperty(name = "gpumarket.billing.platform-account") String platformAccount) {
        this.fees = new FeePolicy(feeBps);
        this.platformAccount = platformAccount;
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
    public NoState emptyState() {
        return NoState.INSTANCE;
    }

    @Override
    public boolean isInput(Event event) {
        return event instanceof UsageRecorded;
    }

    @Override
    public void evolve(NoState state, Event event) {
        // each interval is charged on its own: the cumulative totals it carries are all it needs
    }

    @Override
    public List<Event> decide(NoState state, Event input, Instant now) {
        UsageRecorded u = (UsageRecorded) input;
        UsageCharge c = UsageCharge.of(u, fees);
        String machine = u.meta().aggregateId();
        Instant at = u.end();
        List<Event> out = new ArrayList<>();
        if (c.chargedMicros() != 0) {
            out.add(new LedgerEvent.UsageCharged(meta(u, "charge", u.accountId(), at), entryId(u, "charge"),
                    -c.chargedMicros(), u.instanceId(), machine, -c.gpuMicros(), -c.storageMicros()));
        }
        if (c.earningMicros() != 0) {
            out.add(new LedgerEvent.EarningCredited(meta(u, "earning", u.hostAccountId(), at), entryId(u, "earning"),
                    c.earningMicros(), u.instanceId(), machine));
        }
        if (c.feeMicros() != 0) {
            out.add(new LedgerEvent.FeeCredited(meta(u, "fee", platformAccount, at), entryId(u, "fee"),
                    c.feeMicros(), u.instanceId(), machine));
        }
        return out;
    }

    private static EventMeta meta(UsageRecorded u, String kind, String account, Instant at) {
        return new EventMeta(derived(u, kind + "-event"), account, 0, at, u.meta().requestId());
    }

    private static String entryId(UsageRecorded u, String kind) {
        return derived(u, kind).toString();
    }

    private static UUID derived(UsageRecorded u, String kind) {
        return UUID.nameUUIDFromBytes((u.meta().eventId() + ":" + kind).getBytes(StandardCharsets.UTF_8));
    }
}
