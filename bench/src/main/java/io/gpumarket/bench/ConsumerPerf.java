package io.gpumarket.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka's own consumer perf tool ({@code org.apache.kafka.tools.ConsumerPerformance}, from the
 * kafka-tools jar the bench ships with) reading a topic from its start in a fresh group: the raw
 * rate this broker delivers that topic's records to one consumer on this machine.
 */
final class ConsumerPerf {
    private ConsumerPerf() {}

    static Map<String, Object> run(Path home, String bootstrap, String topic, long records) throws Exception {
        String classpath = home.resolve("bench/target/lib").toString() + File.separator + "*";
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classpath, "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap,
                "--topic", topic, "--num-records", Long.toString(records), "--timeout", "60000",
                "--group", "bench-consumer-perf-" + System.nanoTime());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the consumer perf tool failed:\n" + output);
        }
        // header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
        String[] lines = output.strip().split("\n");
        String[] values = lines[lines.length - 1].split(",\\s*");
        if (values.length < 6) {
            throw new IllegalStateException("no summary in the consumer perf tool's output:\n" + output);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", String.join(" ", command.subList(4, command.size())));
        out.put("records", Long.parseLong(values[4].trim()));
        out.put("mb", Double.parseDouble(values[2].trim()));
        out.put("mbPerSecond", Double.parseDouble(values[3].trim()));
        out.put("recordsPerSecond", Double.parseDouble(values[5].trim()));
        return out;
    }
}
