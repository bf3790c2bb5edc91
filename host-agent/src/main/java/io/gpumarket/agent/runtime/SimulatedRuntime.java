package io.gpumarket.agent.runtime;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.machine.ContainerAccess;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A container runtime that runs nothing: starting takes {@code startDelay} and succeeds (unless
 * the image name contains {@code fail}) and says the container is reached at the public host on
 * made-up ports, stopping and removing succeed at once. For the local
 * stack, tests, and hosts trying gpumarket without Docker. A running container's traffic counters
 * grow by a megabyte received and 100 kB sent per second since it started.
 */
public final class SimulatedRuntime implements ContainerRuntime {
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Duration startDelay;
    private final String publicHost;

    public SimulatedRuntime(Duration startDelay, String publicHost) {
        this.startDelay = startDelay;
        this.publicHost = publicHost;
    }

    /** Where a started container would be reached: a pair of host ports per instance, from 40000 up. */
    private ContainerAccess access(AgentMessage.Work work) {
        int base = ports.computeIfAbsent(work.instanceId(), id -> 40_000 + 2 * ports.size());
        boolean ssh = work.container() == null || !"args".equals(work.container().launchMode());
        boolean jupyter = work.container() != null && "jupyter".equals(work.container().launchMode());
        return new ContainerAccess(publicHost, ssh ? base : null, jupyter ? base + 1 : null);
    }

    @Override
    public Result apply(AgentMessage.Work work) {
        return switch (work.action()) {
            case START -> start(work);
            case STOP -> {
                running.remove(work.instanceId());
                yield new Result(ContainerState.STOPPED, "stopped (simulated)");
            }
            case RESTART -> {
                running.put(work.instanceId(), System.nanoTime());
                yield new Result(ContainerState.RUNNING, "restarted (simulated)", access(work));
            }
            case UPDATE_KEYS -> new Result(ContainerState.RUNNING, "SSH keys installed (simulated)");
            case TERMINATE -> {
                running.remove(work.instanceId());
                yield new Result(ContainerState.REMOVED, "container and disk removed (simulated)");
            }
        };
    }

    private Result start(AgentMessage.Work work) {
        if (work.container() != null && work.container().image().contains("fail")) {
            return new Result(ContainerState.FAILED, "image " + work.container().image() + " failed to start (simulated)");
        }
        try {
            Thread.sleep(startDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.put(work.instanceId(), System.nanoTime());
        return new Result(ContainerState.RUNNING, "running on GPUs " + work.gpuIndexes() + " (simulated)", access(work));
    }

    @Override
    public List<String> running() {
        return running.keySet().stream().sorted().toList();
    }

    @Override
    public List<ContainerTraffic> traffic() {
        long now = System.nanoTime();
        return running.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            long seconds = Duration.ofNanos(now - e.getValue()).toSeconds();
            return new ContainerTraffic(e.getKey(), seconds * 1_000_000, seconds * 100_000);
        }).toList();
    }
}
