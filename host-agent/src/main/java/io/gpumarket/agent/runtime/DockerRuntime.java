package io.gpumarket.agent.runtime;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.heartbeat.HeartbeatEvent.ContainerTraffic;
import io.gpumarket.events.machine.ContainerAccess;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.RegistryAuth;
import io.gpumarket.events.rental.Resources;
import java.math.BigDecimal;
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
 * {@code /workspace}, limited to its CPU, RAM and shared-memory share; a private image is pulled
 * after a {@code docker login} with the password on stdin. Stop keeps container and volume,
 * terminate removes both. SSH (22) and, in Jupyter mode, Jupyter (8888) are published on host
 * ports Docker picks, reported with the machine's public host. Traffic counters
 * come from the container's network namespace ({@code /proc/<pid>/net/dev}).
 */
public final class DockerRuntime implements ContainerRuntime {
    private final String publicHost;

    public DockerRuntime(String publicHost) {
        this.publicHost = publicHost;
    }

    private static final String LABEL = "gpumarket.instance";
    private static final String GPUS_LABEL = "gpumarket.gpus";

    /** True when a Docker daemon answers here. */
    public static boolean available() {
        return run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 10).exit() == 0;
    }

    @Override
    public Result apply(AgentMessage.Work work) {
        Outcome out = switch (work.action()) {
            case START -> start(work);
            case STOP -> run(List.of("docker", "stop", name(work.instanceId())), 120);
            case RESTART -> run(List.of("docker", "restart", name(work.instanceId())), 180);
            case UPDATE_KEYS -> run(keysCommand(work), 60);
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
            case START -> new Result(ContainerState.RUNNING, "running on GPUs " + work.gpuIndexes(), access(work));
            case STOP -> new Result(ContainerState.STOPPED, "stopped");
            case RESTART -> new Result(ContainerState.RUNNING, "restarted on GPUs " + work.gpuIndexes(), access(work));
            case UPDATE_KEYS -> new Result(ContainerState.RUNNING, "SSH keys installed");
            case TERMINATE -> new Result(ContainerState.REMOVED, "container and disk removed");
        };
    }

    /**
     * Starts the instance's container: the existing one if it was made for the same GPUs (a start
     * after a stop), else a new one on the GPUs given, on the same disk volume (an interruptible
     * resumes on whichever GPUs are free).
     */
    private static Outcome start(AgentMessage.Work work) {
        String name = name(work.instanceId());
        Outcome made = run(List.of("docker", "inspect", "-f", "{{index .Config.Labels \"" + GPUS_LABEL + "\"}}", name), 30);
        if (made.exit() == 0 && made.output().strip().equals(gpuList(work))) {
            return run(List.of("docker", "start", name), 120);
        }
        if (made.exit() == 0) {
            run(List.of("docker", "rm", "-f", name), 120); // the named volume (the disk) stays
        }
        RegistryAuth auth = work.container().registryAuth();
        if (auth != null) {
            Outcome login = run(List.of("docker", "login", auth.server(), "-u", auth.username(), "--password-stdin"), 60,
                    auth.password());
            if (login.exit() != 0) {
                return login;
            }
        }
        return run(runCommand(work), 600);
    }

    /** The host ports Docker published for the container's SSH and Jupyter ports. */
    private ContainerAccess access(AgentMessage.Work work) {
        return new ContainerAccess(publicHost, hostPort(work, 22), hostPort(work, 8888));
    }

    private static Integer hostPort(AgentMessage.Work work, int containerPort) {
        Outcome out = run(List.of("docker", "port", name(work.instanceId()), containerPort + "/tcp"), 30);
        return out.exit() != 0 ? null : publishedPort(out.output());
    }

    /** The port of the first mapping {@code docker port} prints ({@code 0.0.0.0:49153}), or null. */
    static Integer publishedPort(String output) {
        return output.lines().map(String::strip).filter(l -> l.matches(".*:\\d+")).findFirst()
                .map(l -> Integer.valueOf(l.substring(l.lastIndexOf(':') + 1))).orElse(null);
    }

    /** Writes the work's SSH keys as root's authorized keys in the running container. */
    public static List<String> keysCommand(AgentMessage.Work work) {
        return List.of("docker", "exec", "-e", "GPUMARKET_SSH_KEYS=" + String.join("\n", work.container().sshPublicKeys()),
                name(work.instanceId()), "sh", "-c", "mkdir -p /root/.ssh && printf '%s\\n' \"$GPUMARKET_SSH_KEYS\""
                        + " > /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys");
    }

    private static String gpuList(AgentMessage.Work work) {
        return work.gpuIndexes().stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The {@code docker run} command line for a start: pure, so it is tested without a daemon. */
    public static List<String> runCommand(AgentMessage.Work work) {
        ContainerSpec c = work.container();
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name(work.instanceId()),
                "--label", LABEL + "=" + work.instanceId(), "--label", GPUS_LABEL + "=" + gpuList(work),
                "--restart", "unless-stopped", "--gpus", "\"device=" + gpuList(work) + "\"",
                "--mount", "type=volume,source=" + name(work.instanceId()) + ",target=/workspace"));
        if (c.resources() != null) {
            Resources r = c.resources();
            cmd.addAll(List.of("--cpus", BigDecimal.valueOf(r.cpuMillicores(), 3).toPlainString(),
                    "--memory", r.ramMb() + "m", "--shm-size", r.shmMb() + "m"));
        }
        if (!"args".equals(c.launchMode())) {
            cmd.addAll(List.of("-p", "22"));
        }
        if ("jupyter".equals(c.launchMode())) {
            cmd.addAll(List.of("-p", "8888"));
        }
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
        return run(command, timeoutSeconds, null);
    }

    /** Runs a command, writing {@code stdin} (if any) to it, e.g. a registry password that must not be an argument. */
    private static Outcome run(List<String> command, int timeoutSeconds, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
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
