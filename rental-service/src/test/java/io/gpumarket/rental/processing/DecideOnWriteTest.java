package io.gpumarket.rental.processing;

import static io.gpumarket.rental.domain.DeciderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.rental.RentalEvent.GpusAllocated;
import io.gpumarket.events.rental.RentalEvent.PlacementRequested;
import io.gpumarket.events.rental.RentalEvent.RentalApproved;
import io.gpumarket.events.rental.RentalEvent.RentalRejected;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link RentalProcessor} decides in the transaction that writes an input (an API request, or
 * its own placement request) and what it leaves to the log: approvals and placements at once,
 * refusals when the input comes back, an owner's request at once on a machine it knows.
 */
class DecideOnWriteTest {
    private static final long HOUR_OF_ONE_GPU = 502_000;
    private final RentalProcessor processor = new RentalProcessor();
    private final RentalPartition state = new RentalPartition();

    private void given(Event... events) {
        for (Event e : events) {
            processor.evolve(state, e);
        }
    }

    private List<Event> whenWritten(Event input) {
        List<Event> out = processor.decideOnWrite(state, input, T0);
        if (out != null) {
            out.forEach(e -> processor.evolve(state, e));
        }
        return out;
    }

    @Test
    void aRentalTheBalanceCoversIsApprovedAtOnce() {
        given(deposit(HOUR_OF_ONE_GPU));
        List<Event> out = whenWritten(request("i-1", 1));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(RentalApproved.class);
        assertThat(out.get(1)).isInstanceOf(PlacementRequested.class);
    }

    @Test
    void aRefusalIsLeftToTheLogAndChangesNothing() {
        given(deposit(HOUR_OF_ONE_GPU - 1));
        assertThat(whenWritten(request("i-1", 1))).as("a deposit not read yet could change it").isNull();
        // read back after the deposit it was written behind, the request is decided as usual
        given(deposit(1), request("i-1", 1));
        assertThat(processor.decide(state, request("i-1", 1), T0).get(0)).isInstanceOf(RentalApproved.class);
    }

    @Test
    void aRefusedRequestReadBackIsRefused() {
        given(request("i-1", 1));
        assertThat(processor.decide(state, request("i-1", 1), T0).get(0)).isInstanceOf(RentalRejected.class);
    }

    @Test
    void aMachineItKnowsPlacesAtOnceAndOneItDoesNotLeavesItToTheLog() {
        assertThat(whenWritten(placement("i-1", 1))).as("machine not read yet").isNull();
        given(registered(4), online(), listed());
        assertThat(whenWritten(placement("i-1", 1))).anyMatch(GpusAllocated.class::isInstance);
    }

    @Test
    void anOwnersRequestIsTakenAtOnceOnAMachineItKnows() {
        assertThat(whenWritten(termination("i-1"))).as("machine not read yet").isNull();
        given(registered(4), online(), listed());
        whenWritten(placement("i-1", 1));
        assertThat(whenWritten(termination("i-1"))).isNotNull().isNotEmpty();
    }

    @Test
    void everyOwnerRequestIsAMachineDecision() {
        assertThat(RentalProcessor.MACHINE_DECISIONS).containsAll(RentalProcessor.OWNER_REQUESTS);
    }
}
