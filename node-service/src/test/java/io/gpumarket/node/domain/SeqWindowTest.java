package io.gpumarket.node.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Given the heartbeats counted so far, when one arrives (again), then it counts once. */
class SeqWindowTest {
    @Test
    void aHeartbeatSeenTwiceCountsOnceEvenOutOfOrder() {
        SeqWindow w = SeqWindow.admit(null, "boot-a", 1);
        w = SeqWindow.admit(w, "boot-a", 2);
        w = SeqWindow.admit(w, "boot-a", 5);
        assertThat(SeqWindow.admit(w, "boot-a", 2)).as("2 again").isNull();
        assertThat(SeqWindow.admit(w, "boot-a", 5)).as("5 again").isNull();
        SeqWindow late = SeqWindow.admit(w, "boot-a", 4);
        assertThat(late).as("4 arrives late, after 5: counted").isNotNull();
        assertThat(late.maxSeq()).isEqualTo(5);
        assertThat(SeqWindow.admit(late, "boot-a", 4)).as("4 again").isNull();
        assertThat(SeqWindow.admit(late, "boot-a", 3)).as("3 was never seen").isNotNull();
    }

    @Test
    void aNewBootStartsAgainAndOldSeqsBeyondTheWindowAreTakenAsSeen() {
        SeqWindow w = SeqWindow.admit(null, "boot-a", 100);
        assertThat(SeqWindow.admit(w, "boot-a", 100 - SeqWindow.WIDTH)).isNull();
        assertThat(SeqWindow.admit(w, "boot-a", 100 - SeqWindow.WIDTH + 1)).isNotNull();
        SeqWindow rebooted = SeqWindow.admit(w, "boot-b", 1);
        assertThat(rebooted).isEqualTo(new SeqWindow("boot-b", 1, 1));
        SeqWindow jump = SeqWindow.admit(rebooted, "boot-b", 1 + 200);
        assertThat(jump.mask()).as("a jump beyond the window forgets it").isEqualTo(1);
    }
}
