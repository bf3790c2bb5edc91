package io.gpumarket.bench;

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
        var tool = new KafkaTool("org.apache.kafka.tools.ConsumerPerformance", "512m", List.of("--bootstrap-server",
                bootstrap, "--topic", topic, "--num-records", Long.toString(records), "--timeout", "60000",
                "--group", "bench-consumer-perf-" + System.nanoTime()));
        String output = tool.run(home, "the consumer perf tool");
        // header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
        String[] lines = output.strip().split("\n");
        String[] values = lines[lines.length - 1].split(",\\s*");
        if (values.length < 6) {
            throw new IllegalStateException("no summary in the consumer perf tool's output:\n" + output);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", tool.shown());
        out.put("records", Long.parseLong(values[4].trim()));
        out.put("mb", Double.parseDouble(values[2].trim()));
        out.put("mbPerSecond", Double.parseDouble(values[3].trim()));
        out.put("recordsPerSecond", Double.parseDouble(values[5].trim()));
        return out;
    }
}
