package io.gpumarket.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.ledger.LedgerEvent.InstancePosting;
import io.gpumarket.events.machine.MachineEvent.ContainerReported;
import io.gpumarket.events.rental.RentalEvent.RentalRequested;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.serde.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordFilterTest {
    private final RecordFilter hostWork = new RecordFilter(List.of(Topics.RENTALS, Topics.MACHINES),
            Set.of(WorkIssued.class, ContainerReported.class));

    @Test
    void passes_over_a_record_whose_header_names_a_type_the_reader_does_not_read() {
        assertThat(hostWork.keeps(record(Topics.RENTALS.name(), EventJson.wireName(RentalRequested.class)))).isFalse();
    }

    @Test
    void keeps_a_record_of_a_type_the_reader_reads() {
        assertThat(hostWork.keeps(record(Topics.RENTALS.name(), EventJson.wireName(WorkIssued.class)))).isTrue();
        assertThat(hostWork.keeps(record(Topics.MACHINES.name(), EventJson.wireName(ContainerReported.class)))).isTrue();
    }

    @Test
    void keeps_a_record_without_the_header_or_naming_a_type_this_build_does_not_know() {
        assertThat(hostWork.keeps(record(Topics.RENTALS.name(), null))).isTrue();
        assertThat(hostWork.keeps(record(Topics.RENTALS.name(), "rental.from-the-future.v9"))).isTrue();
    }

    @Test
    void an_interface_stands_for_every_record_that_implements_it() {
        RecordFilter postings = new RecordFilter(List.of(Topics.LEDGER), Set.of(InstancePosting.class));
        for (Class<?> type : EventJson.concreteEventTypes()) {
            if (LedgerEvent.class.isAssignableFrom(type)) {
                boolean posting = InstancePosting.class.isAssignableFrom(type);
                assertThat(postings.passedOver().contains(EventJson.wireName(type))).as(type.getSimpleName())
                        .isEqualTo(!posting);
            }
        }
        assertThat(postings.passedOver()).isNotEmpty();
    }

    @Test
    void reading_every_event_type_passes_nothing_over() {
        RecordFilter all = new RecordFilter(List.of(Topics.RENTALS, Topics.MACHINES), Set.of(Event.class));
        assertThat(all.passedOver()).isEmpty();
        assertThat(all.keeps(record(Topics.RENTALS.name(), EventJson.wireName(RentalRequested.class)))).isTrue();
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String type) {
        var r = new ConsumerRecord<String, byte[]>(topic, 0, 0L, "key", new byte[0]);
        if (type != null) {
            r.headers().add(EventJson.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }
}
