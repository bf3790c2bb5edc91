package io.gpumarket.agent.runtime;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.machine.ContainerState;
import java.util.List;

/**
 * Runs instances' containers on this machine. The simulated runtime stands in until a Docker
 * runtime implements this against a real daemon. Each call blocks until the container is in the
 * state it returns.
 */
public interface ContainerRuntime {
    /** Carries out a piece of work and says what state the container is in afterwards. */
    Result apply(AgentMessage.Work work);

    /** The instances whose containers are running now. */
    List<String> running();

    record Result(ContainerState state, String detail) {}
}
