package io.gpumarket.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./gpumarket up} and {@code ./gpumarket down}: the local marketplace. */
@Command(name = "gpumarket", mixinStandardHelpOptions = true, subcommands = {StackCommand.Up.class,
        StackCommand.Down.class}, description = "Runs the gpumarket marketplace locally, without Docker.")
public final class StackCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    static Path home() {
        return Path.of(System.getProperty("gpumarket.home", ".")).toAbsolutePath().normalize();
    }

    static Path runDir() {
        return home().resolve(".gpumarket");
    }

    @Command(name = "up", description = "Starts PostgreSQL, Kafka, every service and a demo host agent.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--operator-key", defaultValue = "${env:GPUMARKET_OPERATOR_KEY:-gpm_operator_local_only}",
                description = "The operator's first API key (env GPUMARKET_OPERATOR_KEY).")
        String operatorKey;

        @Option(names = "--replicas", defaultValue = "1",
                description = "Processes per service; replicas share their consumer groups' partitions.")
        int replicas;

        @Override
        public Integer call() throws Exception {
            Path run = runDir();
            if (Files.exists(run.resolve("stack.properties"))) {
                System.out.println("A stack is already running from " + run + "; stopping it first.");
                LocalStack.down(run);
            }
            Files.createDirectories(run);
            System.out.println("Starting PostgreSQL, Kafka and the services (logs in " + run.resolve("logs") + ") ...");
            LocalStack stack = LocalStack.up(new LocalStack.Options(home(), run, false, operatorKey)
                    .withReplicas(replicas));
            Http http = new Http(stack.gateway());
            Path demoFile = run.resolve("demo.env");
            DemoHost demo = Files.exists(demoFile) ? DemoHost.resume(stack, http, demoFile)
                    : DemoHost.create(stack, http, "demo", 4, "0.400000");
            demo.save(demoFile, stack.gateway().toString(), operatorKey);
            System.out.printf("""

                    gpumarket is up: %s
                      a demo host (key in .gpumarket/demo.env) lists machine %s (4 x RTX 4090, $0.40/GPU-hour)
                      with its simulated agent connected. Try the walkthrough in README.md:
                        curl -s -X POST %s/api/v1/accounts -H 'Content-Type: application/json' \\
                             -d '{"name":"Ada","email":"ada@example.com","role":"client"}'
                      Stop everything with: ./gpumarket down
                    """, stack.gateway(), demo.machineId(), stack.gateway());
            return 0;
        }
    }

    @Command(name = "down", description = "Stops everything 'up' started, by PID.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() {
            LocalStack.down(runDir());
            System.out.println("gpumarket is down.");
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StackCommand()).execute(args));
    }
}
