package io.gpumarket.rental.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent.SshKeyAdded;
import io.gpumarket.events.account.AccountEvent.SshKeyRemoved;
import io.gpumarket.events.machine.MachineEvent.MachineRegistered;
import io.gpumarket.events.offer.OfferEvent.ListingPublished;
import io.gpumarket.events.offer.OfferEvent.ListingWithdrawn;
import io.gpumarket.events.offer.OfferIds;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * What a rental request is checked against before it goes on the log: machines and their offer
 * ids ({@code gpumarket.machines}), listing terms ({@code gpumarket.offers}) and accounts' SSH
 * keys ({@code gpumarket.accounts}). The machine aggregate re-checks availability when it decides.
 */
@ApplicationScoped
public class CatalogProjection implements Projection {
    @Override
    public String name() {
        return "rental-catalog";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.MACHINES, Topics.OFFERS, Topics.ACCOUNTS);
    }

    @Override
    public Set<Class<?>> eventTypes() {
        return Set.of(MachineRegistered.class, ListingPublished.class, ListingWithdrawn.class, SshKeyAdded.class,
                SshKeyRemoved.class);
    }

    @Override
    public List<String> tables() {
        return List.of("rentable_machine", "offer_ref", "account_ssh_key");
    }

    @Override
    public void apply(Event event, Position position) {
        if (event instanceof MachineRegistered r) {
            RentableMachineRow m = machine(r.aggregateId());
            m.hostAccountId = r.hostAccountId();
            m.gpuCount = r.spec().gpuCount();
            m.gpuModel = r.spec().gpuModel();
            m.cpuCores = r.spec().cpuCores();
            m.diskGb = r.spec().diskGb();
            m.ramGb = r.spec().ramGb();
            for (int n = 1; n <= m.gpuCount; n++) {
                String id = OfferIds.of(m.machineId, n);
                if (OfferRefRow.findById(id) == null) {
                    OfferRefRow ref = new OfferRefRow();
                    ref.offerId = id;
                    ref.machineId = m.machineId;
                    ref.numGpus = n;
                    ref.persist();
                }
            }
        } else if (event instanceof ListingPublished p) {
            RentableMachineRow m = machine(p.aggregateId());
            m.listed = true;
            m.gpuPrice = p.terms().gpuPricePerHourMicros();
            m.storagePrice = p.terms().storagePricePerGbMonthMicros();
            m.bandwidthPrice = p.terms().bandwidthPricePerTbMicros();
            m.minGpus = p.terms().minGpus();
            m.minBid = p.terms().minBidPerHourMicros();
            m.reservedDiscountMaxBps = p.terms().reservedDiscountMaxBps();
            m.endDate = p.terms().endDate();
        } else if (event instanceof ListingWithdrawn w) {
            machine(w.aggregateId()).listed = false;
        } else if (event instanceof SshKeyAdded k) {
            if (AccountSshKeyRow.findById(k.keyId()) == null) {
                AccountSshKeyRow row = new AccountSshKeyRow();
                row.keyId = k.keyId();
                row.accountId = k.aggregateId();
                row.publicKey = k.publicKey();
                row.persist();
            }
        } else if (event instanceof SshKeyRemoved k) {
            AccountSshKeyRow.deleteById(k.keyId());
        }
    }

    private static RentableMachineRow machine(String id) {
        RentableMachineRow m = RentableMachineRow.findById(id);
        if (m == null) {
            m = new RentableMachineRow();
            m.machineId = id;
            m.persist();
        }
        return m;
    }
}
