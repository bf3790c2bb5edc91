package io.gpumarket.node.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.serde.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads and writes agent-channel frames. */
public final class AgentMessages {
    private AgentMessages() {}

    public static String write(AgentMessage message) {
        try {
            return EventJson.mapper().writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static AgentMessage read(String frame) {
        try {
            return EventJson.mapper().readValue(frame, AgentMessage.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ack {seq}}, written directly: it is sent for every heartbeat. */
    public static String heartbeatAck(long seq) {
        return "{\"type\":\"ack\",\"seq\":" + seq + "}";
    }

    /** The frame that delivers a piece of work to its machine's agent. */
    public static String work(WorkIssued w) {
        return write(new AgentMessage.Work(w.workId(), w.instanceId(), w.action(), w.gpuIndexes(), w.diskGb(),
                w.container()));
    }
}
