package io.gpumarket.bench;

import io.gpumarket.events.serde.EventJson;
import io.gpumarket.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every scenario does around its measurements: a fresh run directory, a local stack with fully
 * compiled services (stopped on exit and on SIGTERM), the report's header (scenario, machine, times),
 * the run directory removed unless kept, and the report written as JSON and printed.
 */
final class BenchRun {
    private BenchRun() {}

    /** The measurements of one scenario, adding their sections to the report. */
    interface Scenario {
        void measure(LocalStack stack, Path runDir, Map<String, Object> report) throws Exception;
    }

    static int run(String name, boolean keep, Path out, Scenario scenario) throws Exception {
        Path home = home();
        Path runDir = Files.createTempDirectory("gpumarket-bench");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", name);
        report.put("startedAt", Instant.now().toString());
        report.put("machine", Machine.describe(home));
        Thread stopOnSignal = new Thread(() -> LocalStack.down(runDir), "stop-bench-stack");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        LocalStack stack = LocalStack.up(new LocalStack.Options(home, runDir, true, "gpm_operator_bench").fullyCompiled()
                .withoutRateLimits());
        try {
            scenario.measure(stack, runDir, report);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            LocalStack.down(runDir);
            if (!keep) {
                try (var paths = Files.walk(runDir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } else {
                System.out.println("run directory kept: " + runDir);
            }
        }
        report.put("finishedAt", Instant.now().toString());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        System.out.println(Files.readString(out));
        return 0;
    }

    /** Where the checkout is: the bench runs from it and reads the tools' jars below it. */
    static Path home() {
        return Path.of(System.getProperty("gpumarket.home", ".")).toAbsolutePath().normalize();
    }
}
