package io.gpumarket.gateway.routing;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the agent channels this gateway carries (each one is also a WebSocket to node-service)
 * against its cap. A channel takes a {@link Slot} before the gateway connects to node-service and
 * gives it back once, whichever way it ends (node-service refused it, the agent's upgrade failed,
 * either side closed), so the count never drifts and a full gateway refuses new channels at once
 * instead of letting them wait for a connection that will not come.
 */
final class AgentChannels {
    private final int cap;
    private final AtomicInteger open = new AtomicInteger();

    AgentChannels(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("the gateway must carry at least one agent channel, got " + cap);
        }
        this.cap = cap;
    }

    /** A slot for one more channel, or empty when {@code cap} channels are open. */
    Optional<Slot> tryOpen() {
        while (true) {
            int now = open.get();
            if (now >= cap) {
                return Optional.empty();
            }
            if (open.compareAndSet(now, now + 1)) {
                return Optional.of(new Slot());
            }
        }
    }

    int open() {
        return open.get();
    }

    int cap() {
        return cap;
    }

    /** One channel's place; {@link #release} frees it the first time and does nothing after. */
    final class Slot {
        private final AtomicBoolean released = new AtomicBoolean();

        void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }
    }
}
