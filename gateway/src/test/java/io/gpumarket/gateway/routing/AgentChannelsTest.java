package io.gpumarket.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AgentChannelsTest {

    @Test
    void aFullGatewayRefusesTheNextChannelUntilOneCloses() {
        var channels = new AgentChannels(2);
        var first = channels.tryOpen();
        var second = channels.tryOpen();

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(channels.tryOpen()).isEmpty();
        assertThat(channels.open()).isEqualTo(2);

        first.get().release();

        assertThat(channels.open()).isEqualTo(1);
        assertThat(channels.tryOpen()).isPresent();
        assertThat(channels.tryOpen()).isEmpty();
    }

    @Test
    void aChannelThatEndsSeveralWaysFreesItsPlaceOnce() {
        var channels = new AgentChannels(3);
        var slot = channels.tryOpen().orElseThrow();
        channels.tryOpen().orElseThrow();

        slot.release(); // node-service closed it
        slot.release(); // and the agent's side closed too

        assertThat(channels.open()).isEqualTo(1);
    }

    @Test
    void racingChannelsNeverExceedTheCap() throws Exception {
        var channels = new AgentChannels(50);
        var granted = new AtomicInteger();
        List<AgentChannels.Slot> slots = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 400; i++) {
            pool.submit(() -> channels.tryOpen().ifPresent(s -> {
                granted.incrementAndGet();
                slots.add(s);
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(granted.get()).isEqualTo(50);
        assertThat(channels.open()).isEqualTo(50);
        slots.forEach(AgentChannels.Slot::release);
        assertThat(channels.open()).isZero();
    }

    @Test
    void aCapBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> new AgentChannels(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }
}
