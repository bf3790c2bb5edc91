package io.gpumarket.agent;

import io.gpumarket.agent.runtime.ContainerRuntime;
import io.gpumarket.agent.runtime.DockerRuntime;
import io.gpumarket.agent.runtime.SimulatedRuntime;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar host-agent.jar --gateway URL --machine-id ID --agent-token TOKEN}. */
@Command(name = "host-agent", mixinStandardHelpOptions = true, version = "0.1.0",
        description = "Connects this machine to a gpumarket gateway: heartbeats, and instance work.")
public final class HostAgentCommand implements Callable<Integer> {
    @Option(names = "--gateway", defaultValue = "${env:GPUMARKET_GATEWAY}", required = true,
            description = "The gateway's URL (env GPUMARKET_GATEWAY).")
    URI gateway;

    @Option(names = "--machine-id", defaultValue = "${env:GPUMARKET_MACHINE_ID}", required = true,
            description = "The machine's id from its registration (env GPUMARKET_MACHINE_ID).")
    String machineId;

    @Option(names = "--agent-token", defaultValue = "${env:GPUMARKET_AGENT_TOKEN}", required = true,
            description = "The machine's agent token from its registration (env GPUMARKET_AGENT_TOKEN).")
    String token;

    @Option(names = "--simulated-gpus", defaultValue = "1",
            description = "GPUs to report when nvidia-smi is not available (default 1).")
    int simulatedGpus;

    @Option(names = "--simulated-start-ms", defaultValue = "1000",
            description = "How long the simulated runtime takes to start a container, in milliseconds.")
    long simulatedStartMs;

    @Option(names = "--simulated-gpu-model", description = "The GPU model to report when nvidia-smi is not available.")
    String simulatedModel;

    @Option(names = "--benchmark-dlperf", description = "The DLPerf per GPU this machine's benchmark measured, "
            + "e.g. 37.20; reported once to node-service, which checks it against the GPU model's range.")
    String benchmarkDlperf;

    @Option(names = "--public-host", defaultValue = "${env:GPUMARKET_PUBLIC_HOST:-localhost}",
            description = "The host name or address renters reach this machine's containers at (SSH, Jupyter).")
    String publicHost;

    @Option(names = "--runtime", defaultValue = "auto", description = "Container runtime: docker, simulated, or "
            + "auto (docker when a daemon answers, else simulated). Default ${DEFAULT-VALUE}.")
    String runtime;

    @Override
    public Integer call() throws Exception {
        ContainerRuntime containers = switch (runtime) {
            case "docker" -> new DockerRuntime(publicHost);
            case "simulated" -> new SimulatedRuntime(Duration.ofMillis(simulatedStartMs), publicHost);
            case "auto" -> DockerRuntime.available() ? new DockerRuntime(publicHost)
                    : new SimulatedRuntime(Duration.ofMillis(simulatedStartMs), publicHost);
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--runtime must be docker, simulated or auto");
        };
        System.out.println("host-agent: container runtime " + containers.getClass().getSimpleName());
        var simulation = new HostAgent.Simulation(simulatedGpus, simulatedModel, benchmarkDlperf);
        try (HostAgent agent = new HostAgent(gateway, machineId, token, containers, simulation)) {
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
            agent.start();
            System.out.println("host-agent: machine " + machineId + " connecting to " + gateway);
            String refusal = agent.awaitEnd();
            if (refusal != null) {
                System.err.println("host-agent: refused by the gateway: " + refusal);
                return 2;
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HostAgentCommand()).execute(args));
    }
}
