package io.gpumarket.rental.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.status.StatusEvent;
import io.gpumarket.events.usage.UsageEvent;
import java.util.List;
import io.gpumarket.testsupport.EventTypes;
import org.junit.jupiter.api.Test;

/** Every event type on the processor's topics is either an input or one of its own outputs, exhaustively. */
class RentalProcessorTest {
    private final RentalProcessor processor = new RentalProcessor();

    @Test
    void everyWrittenTypeIsAnOwnOutputOrACrossAggregateInput() {
        for (Class<?> t : EventTypes.concrete(RentalEvent.class)) {
            boolean crossAggregate = t == RentalEvent.RentalRequested.class || t == RentalEvent.PlacementRequested.class
                    || t == RentalEvent.InstanceReleased.class || t == RentalEvent.TerminationRequested.class
                    || t == RentalEvent.OwnerSuspended.class || t == RentalEvent.OwnerReactivated.class
                    || t == RentalEvent.StopRequested.class || t == RentalEvent.StartRequested.class
                    || t == RentalEvent.BidChangeRequested.class || t == RentalEvent.RestartRequested.class
                    || t == RentalEvent.SshKeysChangeRequested.class;
            assertThat(isInput(t)).as(t.getSimpleName()).isEqualTo(crossAggregate);
        }
        for (Class<?> t : EventTypes.concrete(StatusEvent.class)) {
            assertThat(isInput(t)).as(t.getSimpleName()).isFalse();
        }
        for (Class<?> t : EventTypes.concrete(UsageEvent.class)) {
            assertThat(isInput(t)).as(t.getSimpleName()).isFalse();
        }
    }

    @Test
    void everyEventOfOtherServicesIsAnInput() {
        for (var topic : List.of(Topics.ACCOUNTS, Topics.MACHINES, Topics.OFFERS, Topics.LEDGER, Topics.HEARTBEATS)) {
            for (Class<?> t : EventTypes.concrete(topic.valueType())) {
                assertThat(isInput(t)).as(t.getSimpleName()).isTrue();
            }
        }
    }

    /**
     * Every request on the rentals topic is decided by the account or the machine; every other
     * input is a fact the processor only folds in, or one of the listed facts a decision follows.
     */
    @Test
    void everyRequestIsDecidedByAnAccountOrAMachine() {
        for (Class<?> t : EventTypes.concrete(RentalEvent.class)) {
            if (isInput(t)) {
                assertThat(t == RentalEvent.RentalRequested.class || t == RentalEvent.InstanceReleased.class
                        || RentalProcessor.MACHINE_DECISIONS.contains(t)).as(t.getSimpleName()).isTrue();
            }
        }
        for (Class<?> t : RentalProcessor.MACHINE_DECISIONS) {
            assertThat(isInput(t)).as(t.getSimpleName()).isTrue();
        }
        for (Class<?> t : RentalProcessor.ACCOUNT_STANDING) {
            assertThat(isInput(t)).as(t.getSimpleName()).isTrue();
        }
    }

    private boolean isInput(Class<?> type) {
        return processor.isInput(type.asSubclass(Event.class));
    }
}
