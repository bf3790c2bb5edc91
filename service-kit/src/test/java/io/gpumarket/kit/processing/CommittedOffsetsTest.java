package io.gpumarket.kit.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which group offsets a processor's transaction sends: those that moved, and never none of many. */
class CommittedOffsetsTest {
    private static final TopicPartition RENTALS_0 = new TopicPartition("gpumarket.rentals", 0);
    private static final TopicPartition RENTALS_1 = new TopicPartition("gpumarket.rentals", 1);
    private static final TopicPartition STATUS_0 = new TopicPartition("gpumarket.status", 0);

    private final CommittedOffsets offsets = new CommittedOffsets();

    @Test
    void everyOffsetIsSentTheFirstTime() {
        var next = Map.of(RENTALS_0, at(5), RENTALS_1, at(7), STATUS_0, at(0));
        assertThat(offsets.toSend(next)).isEqualTo(next);
    }

    @Test
    void afterACommitOnlyTheOffsetsThatMovedAreSent() {
        offsets.committed(Map.of(RENTALS_0, at(5), RENTALS_1, at(7), STATUS_0, at(3)));
        assertThat(offsets.toSend(Map.of(RENTALS_0, at(5), RENTALS_1, at(9), STATUS_0, at(3))))
                .isEqualTo(Map.of(RENTALS_1, at(9)));
    }

    @Test
    void whenNothingMovedOneOffsetIsStillSentSoTheGenerationIsChecked() {
        offsets.committed(Map.of(RENTALS_0, at(5), RENTALS_1, at(7)));
        var sent = offsets.toSend(Map.of(RENTALS_0, at(5), RENTALS_1, at(7)));
        assertThat(sent).hasSize(1);
        assertThat(Map.of(RENTALS_0, at(5), RENTALS_1, at(7))).containsAllEntriesOf(sent);
        assertThat(offsets.toSend(Map.of())).as("no partitions, nothing to send").isEmpty();
    }

    @Test
    void offsetsOfATransactionThatDidNotCommitAreSentAgain() {
        offsets.committed(Map.of(RENTALS_0, at(5)));
        offsets.toSend(Map.of(RENTALS_0, at(8))); // aborted: never reported committed
        assertThat(offsets.toSend(Map.of(RENTALS_0, at(8)))).isEqualTo(Map.of(RENTALS_0, at(8)));
    }

    @Test
    void forgottenPartitionsAreSentAgain() {
        offsets.committed(Map.of(RENTALS_0, at(5), RENTALS_1, at(7)));
        offsets.forget(List.of(RENTALS_1));
        assertThat(offsets.toSend(Map.of(RENTALS_0, at(5), RENTALS_1, at(7)))).isEqualTo(Map.of(RENTALS_1, at(7)));
        offsets.clear();
        assertThat(offsets.toSend(Map.of(RENTALS_0, at(5)))).isEqualTo(Map.of(RENTALS_0, at(5)));
    }

    private static OffsetAndMetadata at(long offset) {
        return new OffsetAndMetadata(offset);
    }
}
