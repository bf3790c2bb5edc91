package io.gpumarket.rental.processing;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.AccountEvent;
import io.gpumarket.events.account.AccountEvent.AccountReactivated;
import io.gpumarket.events.account.AccountEvent.AccountSuspended;
import io.gpumarket.events.account.AccountEvent.SuspensionGraceExpired;
import io.gpumarket.events.heartbeat.HeartbeatEvent;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.machine.MachineEvent;
import io.gpumarket.events.offer.OfferEvent;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalEvent.InstanceReleased;
import io.gpumarket.events.rental.RentalEvent.PlacementRefused;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.rental.RentalEvent.TerminationRequested;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.status.StatusEvent;
import io.gpumarket.events.usage.UsageEvent;
import io.gpumarket.kit.processing.Processor;
import io.gpumarket.rental.domain.AccountDecider;
import io.gpumarket.rental.domain.MachineDecider;
import io.gpumarket.rental.domain.MachineRentals;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * rental-service's single writer. Reads the co-partitioned {@code gpumarket.rentals},
 * {@code .status}, {@code .usage} (its own), {@code .accounts}, {@code .machines}, {@code .offers},
 * {@code .ledger} (facts it needs) and {@code .heartbeats} (traffic counters; live only, as usage
 * intervals carry the totals), and routes each input to the aggregate its key names: the account
 * (admission, standing: {@link AccountDecider}) or the machine ({@link MachineDecider}). Writes
 * rentals, status and usage; ticks every 4 s so an open usage interval never lasts longer than that
 * (with billing's few hundred milliseconds, usage reaches the balance within 5 s). After each
 * decision and tick, every machine touched settles its GPUs (bids, preemption, waiting starts).
 * The API's requests are written by this processor ({@code Processors.write}) and, when this
 * replica owns their account or machine, decided in the transaction that writes them; a machine
 * owned here places an approved rental in the approving transaction.
 */
@ApplicationScoped
public class RentalProcessor implements Processor<RentalPartition> {

    /** Billing's standing changes, which the account passes on to its instances' machines. */
    static final Set<Class<?>> ACCOUNT_STANDING = Set.of(AccountSuspended.class, AccountReactivated.class,
            SuspensionGraceExpired.class);

    /** The inputs a machine decides on: requests about its instances and the facts that move them. */
    static final Set<Class<?>> MACHINE_DECISIONS = Set.of(PlacementRequested.class, TerminationRequested.class,
            RentalEvent.OwnerSuspended.class, RentalEvent.OwnerReactivated.class, RentalEvent.StopRequested.class,
            RentalEvent.StartRequested.class, RentalEvent.BidChangeRequested.class, RentalEvent.RestartRequested.class,
            RentalEvent.SshKeysChangeRequested.class, MachineEvent.ContainerReported.class,
            OfferEvent.ContractsExtended.class, MachineEvent.MaintenanceScheduled.class,
            MachineEvent.GpuFaultReported.class, MachineEvent.MachineWentOffline.class,
            MachineEvent.MachineCameOnline.class);

    /** What an instance's owner asks of its machine through the API. */
    static final Set<Class<?>> OWNER_REQUESTS = Set.of(TerminationRequested.class, RentalEvent.StopRequested.class,
            RentalEvent.StartRequested.class, RentalEvent.BidChangeRequested.class, RentalEvent.RestartRequested.class,
            RentalEvent.SshKeysChangeRequested.class);

    /** What this processor writes itself: every status and usage event, and its decisions on rentals. */
    static final Set<Class<?>> OWN_OUTPUTS = Set.of(RentalApproved.class, RentalRejected.class, GpusAllocated.class,
            GpusReleased.class, PlacementRefused.class, WorkIssued.class, RentalEvent.ContractExtended.class,
            RentalEvent.NoticeIssued.class, RentalEvent.MeteringPaused.class, RentalEvent.MeteringResumed.class,
            RentalEvent.PlacementAccepted.class, RentalEvent.BidChanged.class, RentalEvent.SshKeysChanged.class,
            StatusEvent.class, UsageEvent.class);

    @Override
    public String name() {
        return "rental-decider";
    }

    /** Facts first, then the aggregate's own topics: placements before statuses before usage. */
    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.ACCOUNTS, Topics.MACHINES, Topics.OFFERS, Topics.LEDGER, Topics.HEARTBEATS,
                Topics.RENTALS, Topics.STATUS, Topics.USAGE);
    }

    @Override
    public Set<TopicSpec<? extends Event>> liveOnlyTopics() {
        return Set.of(Topics.HEARTBEATS);
    }

    @Override
    public RentalPartition emptyState() {
        return new RentalPartition();
    }

    /** Everything but the decisions this processor writes itself. */
    @Override
    public boolean isInput(Class<? extends Event> type) {
        return OWN_OUTPUTS.stream().noneMatch(output -> output.isAssignableFrom(type));
    }

    @Override
    public void evolve(RentalPartition state, Event e) {
        if (e instanceof LedgerEvent || e instanceof AccountEvent || e instanceof RentalApproved
                || e instanceof RentalRejected || e instanceof InstanceReleased || e instanceof RentalRequested) {
            AccountDecider.evolve(state.account(e.aggregateId()), e);
        } else if (e instanceof MachineEvent || e instanceof OfferEvent || e instanceof RentalEvent
                || e instanceof StatusEvent || e instanceof UsageEvent || e instanceof HeartbeatEvent) {
            MachineDecider.evolve(state.machine(e.aggregateId()), e);
            state.unsettled.add(e.aggregateId());
        }
    }

    @Override
    public List<Event> decide(RentalPartition state, Event input, Instant now) {
        if (input instanceof RentalRequested r) {
            return AccountDecider.decide(state.account(r.aggregateId()), r, now);
        } else if (ACCOUNT_STANDING.contains(input.getClass())) {
            return AccountDecider.decide(state.account(input.aggregateId()), (AccountEvent) input, now);
        } else if (MACHINE_DECISIONS.contains(input.getClass())) {
            return MachineDecider.decide(state.machine(input.aggregateId()), input, now);
        }
        return List.of();
    }

    /**
     * Decisions taken in the transaction that writes the input, when nothing this replica has not
     * read yet could have changed them: a machine owned here places an approved rental when it can;
     * an account owned here approves a rental request from the API when it can; a machine owned
     * here takes its owner's requests (stop, start, restart, re-bid, re-key, terminate) at once.
     * A refusal waits for the input to come back through the log, where a deposit, a listing or a
     * registration written before it has been read.
     */
    @Override
    public List<Event> decideOnWrite(RentalPartition state, Event input, Instant now) {
        if (input instanceof PlacementRequested p) {
            MachineRentals machine = state.machines.get(p.aggregateId());
            List<Event> placed = machine == null ? null : MachineDecider.placeAtOnce(machine, p, now);
            if (placed != null) {
                evolve(state, input);
            }
            return placed;
        } else if (input instanceof RentalRequested r) {
            List<Event> approved = AccountDecider.decide(state.account(r.aggregateId()), r, now);
            if (approved.stream().noneMatch(RentalApproved.class::isInstance)) {
                return null;
            }
            evolve(state, input);
            return approved;
        } else if (OWNER_REQUESTS.contains(input.getClass()) && state.machines.containsKey(input.aggregateId())) {
            evolve(state, input);
            return MachineDecider.decide(state.machine(input.aggregateId()), input, now);
        }
        return null;
    }

    /** Each machine something happened to (or, after a tick, every machine) settles its GPUs. */
    @Override
    public List<Event> settle(RentalPartition state, Instant now) {
        List<Event> out = new ArrayList<>();
        for (String machine : state.unsettled) {
            out.addAll(MachineDecider.settle(state.machine(machine), now));
        }
        state.unsettled.clear();
        return out;
    }

    @Override
    public List<Event> tick(RentalPartition state, Instant now) {
        List<Event> out = new ArrayList<>();
        state.machines.values().forEach(m -> out.addAll(MachineDecider.tick(m, now)));
        state.unsettled.addAll(state.machines.keySet());
        return out;
    }

    @Override
    public Duration tickInterval() {
        return Duration.ofSeconds(4);
    }
}
