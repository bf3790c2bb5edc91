package io.gpumarket.agent.runtime;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.rental.ContainerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs instances' containers through the {@code docker} command line against the local daemon:
 * one container per instance named {@code gpumarket-<instanceId>} and labelled with it, with only
 * its GPUs ({@code --gpus device=…}), its environment, and its disk as a named volume at
 * {@code /workspace}. Stop keeps container and volume, terminate removes both. Traffic counters
 * come from the container's network namespace ({@code /proc/<pid>/net/dev}).
 */
public final class DockerRuntime implements ContainerRuntime {
    private static final String LABEL = "gpumarket.instance";

    /** True when a Docker daemon answers here. */
    public static boolean available() {
        return run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 10).exit() == 0;
    }

    @Override
    public Result apply(AgentMessage.Work work) {
        Outcome out = switch (work.action()) {
            case START -> {
                Outcome existing = run(List.of("docker", "start", name(work.instanceId())), 120);
                yield existing.exit() == 0 ? existing : run(runCommand(work), 600);
            }
            case STOP -> run(List.of("docker", "stop", name(work.instanceId())), 120);
            case TERMINATE -> {
                Outcome removed = run(List.of("docker", "rm", "-f", "-v", name(work.instanceId())), 120);
                run(List.of("docker", "volume", "rm", "-f", name(work.instanceId())), 60);
                yield removed;
            }
        };
        if (out.exit() != 0) {
            return new Result(ContainerState.FAILED, "docker exited " + out.exit() + ": " + out.output().strip());
        }
        return switch (work.action()) {
            case START -> new Result(ContainerState.RUNNING, "running on GPUs " + work.gpuIndexes());
            case STOP -> new Result(ContainerState.STOPPED, "stopped");
            case TERMINATE -> new Result(ContainerState.REMOVED, "container and disk removed");
        };
    }

    /** The {@code docker run} command line for a start: pure, so it is tested without a daemon. */
    public static List<String> runCommand(AgentMessage.Work work) {
        ContainerSpec c = work.container();
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name(work.instanceId()),
                "--label", LABEL + "=" + work.instanceId(), "--restart", "unless-stopped",
                "--gpus", "\"device=" + work.gpuIndexes().stream().map(String::valueOf).collect(Collectors.joining(","))
                        + "\"",
                "--mount", "type=volume,source=" + name(work.instanceId()) + ",target=/workspace"));
        c.env().forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
        if (!c.sshPublicKeys().isEmpty()) {
            cmd.addAll(List.of("-e", "GPUMARKET_SSH_KEYS=" + String.join("\n", c.sshPublicKeys())));
        }
        if (c.onstart() != null) {
            cmd.addAll(List.of("-e", "GPUMARKET_ONSTART=" + c.onstart()));
        }
        if (c.entrypoint() != null) {
            cmd.addAll(List.of("--entrypoint", c.entrypoint()));
        }
        cmd.add(c.image());
        cmd.addAll(c.args());
        return cmd;
    }

    @Override
    public List<String> running() {
        Outcome out = run(List.of("docker", "ps", "--filter", "label=" + LABEL, "--format",
                "{{.Label \"" + LABEL + "\"}}"), 30);
        return out.exit() != 0 ? List.of() : out.output().lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    @Override
    public List<ContainerTraffic> traffic() {
        List<ContainerTraffic> out = new ArrayList<>();
        for (String instance : running()) {
            Outcome pid = run(List.of("docker", "inspect", "-f", "{{.State.Pid}}", name(instance)), 30);
            if (pid.exit() != 0) {
                continue;
            }
            try {
                long[] bytes = netDev(Files.readString(Path.of("/proc", pid.output().strip(), "net", "dev")));
                out.add(new ContainerTraffic(instance, bytes[0], bytes[1]));
            } catch (IOException | RuntimeException e) {
                // the container just stopped; no counters this time
            }
        }
        return out;
    }

    /** Received and sent bytes over all interfaces but loopback, from the text of {@code /proc/<pid>/net/dev}. */
    static long[] netDev(String text) {
        long rx = 0;
        long tx = 0;
        for (String line : text.lines().skip(2).toList()) {
            String[] parts = line.trim().split("[:\\s]+");
            if (parts.length > 9 && !parts[0].equals("lo")) {
                rx += Long.parseLong(parts[1]);
                tx += Long.parseLong(parts[9]);
            }
        }
        return new long[] {rx, tx};
    }

    private static String name(String instanceId) {
        return "gpumarket-" + instanceId;
    }

    private record Outcome(int exit, String output) {}

    private static Outcome run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(-1, "timed out");
            }
            return new Outcome(p.exitValue(), output);
        } catch (IOException e) {
            return new Outcome(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted");
        }
    }
}
