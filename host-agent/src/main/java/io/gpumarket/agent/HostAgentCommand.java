package io.gpumarket.agent;

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

    @Override
    public Integer call() throws Exception {
        Duration start = Duration.ofMillis(simulatedStartMs);
        try (HostAgent agent = new HostAgent(gateway, machineId, token, new SimulatedRuntime(start), simulatedGpus)) {
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
