package io.gpumarket.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench/run <scenario>}: the runnable benchmark scenarios. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {OfferSearchBench.class, HeartbeatBench.class, BillingBench.class, RentBench.class},
        description = "gpumarket benchmarks: each starts its own local stack and writes a JSON report.")
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
