package io.gpumarket.agent.runtime;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.machine.ContainerAccess;
import io.gpumarket.events.machine.ContainerState;
import java.util.List;

/**
 * Runs instances' containers on this machine: {@link DockerRuntime} against a Docker daemon,
 * {@link SimulatedRuntime} where there is none. Each call blocks until the container is in the
 * state it returns.
 */
public interface ContainerRuntime {
    /** Carries out a piece of work and says what state the container is in afterwards. */
    Result apply(AgentMessage.Work work);

    /** The instances whose containers are running now. */
    List<String> running();

    /** Network byte counters of the running containers. */
    List<ContainerTraffic> traffic();

    /** The state a piece of work left the container in; a running one says how it is reached. */
    record Result(ContainerState state, String detail, ContainerAccess access) {
        public Result(ContainerState state, String detail) {
            this(state, detail, null);
        }
    }
}
