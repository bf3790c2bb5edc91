package io.gpumarket.rental.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.rental.RentalEvent;
import io.gpumarket.events.status.StatusEvent;
import io.gpumarket.events.usage.UsageEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every event type on the processor's topics is either an input or one of its own outputs, exhaustively. */
class RentalProcessorTest {
    private final RentalProcessor processor = new RentalProcessor();

    @Test
    void everyWrittenTypeIsAnOwnOutputOrACrossAggregateInput() {
        for (Class<?> t : concrete(RentalEvent.class)) {
            boolean crossAggregate = t == RentalEvent.RentalRequested.class || t == RentalEvent.PlacementRequested.class
                    || t == RentalEvent.InstanceReleased.class || t == RentalEvent.TerminationRequested.class
                    || t == RentalEvent.OwnerSuspended.class || t == RentalEvent.OwnerReactivated.class;
            assertThat(isInput(t)).as(t.getSimpleName()).isEqualTo(crossAggregate);
        }
        for (Class<?> t : concrete(StatusEvent.class)) {
            assertThat(isInput(t)).as(t.getSimpleName()).isFalse();
        }
        for (Class<?> t : concrete(UsageEvent.class)) {
            assertThat(isInput(t)).as(t.getSimpleName()).isFalse();
        }
    }

    @Test
    void everyEventOfOtherServicesIsAnInput() {
        for (var topic : List.of(Topics.ACCOUNTS, Topics.MACHINES, Topics.OFFERS, Topics.LEDGER, Topics.HEARTBEATS)) {
            for (Class<?> t : concrete(topic.valueType())) {
                assertThat(isInput(t)).as(t.getSimpleName()).isTrue();
            }
        }
    }

    private boolean isInput(Class<?> type) {
        return processor.isInput(sample(type));
    }

    /** isInput looks only at the type, so an instance with null components is enough. */
    private static Event sample(Class<?> type) {
        try {
            var ctor = type.getDeclaredConstructors()[0];
            Object[] args = new Object[ctor.getParameterCount()];
            Class<?>[] params = ctor.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                args[i] = params[i] == long.class ? 0L : params[i] == int.class ? 0 : params[i] == boolean.class ? false
                        : null;
            }
            return (Event) ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Class<?>> concrete(Class<?> sealed) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isSealed()) {
                out.addAll(concrete(sub));
            } else {
                out.add(sub);
            }
        }
        return out;
    }
}
