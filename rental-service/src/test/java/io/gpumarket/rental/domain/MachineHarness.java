package io.gpumarket.rental.domain;

import static io.gpumarket.rental.domain.DeciderFixtures.MACHINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One machine's aggregate driven like the processor runner drives it: evolve, decide, evolve, settle. */
abstract class MachineHarness {
    final MachineRentals machine = new MachineRentals(MACHINE);

    void given(Event... events) {
        for (Event e : events) {
            MachineDecider.evolve(machine, e);
        }
    }

    /**
     * Decides like the runner: the input is folded in first, then its outputs, then the machine
     * settles its GPUs; returns the decision's and the settling's events.
     */
    List<Event> when(Event input, Instant at) {
        MachineDecider.evolve(machine, input);
        return settled(MachineDecider.decide(machine, input, at), at);
    }

    List<Event> tick(Instant at) {
        return settled(MachineDecider.tick(machine, at), at);
    }

    /** The state recovery reaches from {@code log}: machines and offers, then rentals, then status, then usage. */
    static MachineRentals replayTopicByTopic(List<Event> log) {
        List<Class<?>> order = List.of(io.gpumarket.events.machine.MachineEvent.class,
                io.gpumarket.events.offer.OfferEvent.class, io.gpumarket.events.rental.RentalEvent.class,
                io.gpumarket.events.status.StatusEvent.class, io.gpumarket.events.usage.UsageEvent.class);
        MachineRentals replayed = new MachineRentals(MACHINE);
        for (Class<?> topic : order) {
            log.stream().filter(topic::isInstance).forEach(e -> MachineDecider.evolve(replayed, e));
        }
        return replayed;
    }

    private List<Event> settled(List<Event> decided, Instant at) {
        List<Event> out = new ArrayList<>(decided);
        decided.forEach(e -> MachineDecider.evolve(machine, e));
        List<Event> settling = MachineDecider.settle(machine, at);
        settling.forEach(e -> MachineDecider.evolve(machine, e));
        out.addAll(settling);
        assertThat(MachineDecider.settle(machine, at)).as("settling again changes nothing").isEmpty();
        return out;
    }

}
