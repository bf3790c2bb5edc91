package io.gpumarket.bench;

import io.gpumarket.events.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Kafka's own producer perf tool ({@code org.apache.kafka.tools.ProducerPerformance}, what
 * {@code kafka-producer-perf-test.sh} runs) against the same broker, at the heartbeat record size,
 * on a topic with as many partitions as the heartbeat topic, with the producer settings
 * node-service's heartbeat writer uses (acks=all, idempotent, linger 5 ms, 256 kB batches).
 */
final class ProducerPerf {
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max");

    private ProducerPerf() {}

    static Map<String, Object> run(Path home, String bootstrap, long records, int recordBytes) throws Exception {
        String topic = "gpumarket.bench-producer-perf";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(Topics.HEARTBEATS.partitions()),
                    Optional.empty()))).all().get();
        }
        var tool = new KafkaTool("org.apache.kafka.tools.ProducerPerformance", "512m", List.of("--topic", topic,
                "--num-records",
                Long.toString(records), "--record-size", Integer.toString(recordBytes), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true",
                "linger.ms=5", "batch.size=262144"));
        String output = tool.run(home, "the producer perf tool");
        Matcher last = null;
        Matcher m = SUMMARY.matcher(output);
        while (m.find()) {
            last = SUMMARY.matcher(m.group());
            last.matches();
        }
        if (last == null) {
            throw new IllegalStateException("no summary in the producer perf tool's output:\n" + output);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", tool.shown());
        out.put("records", Long.parseLong(last.group(1)));
        out.put("recordBytes", recordBytes);
        out.put("recordsPerSecond", Double.parseDouble(last.group(2)));
        out.put("mbPerSecond", Double.parseDouble(last.group(3)));
        out.put("avgLatencyMs", Double.parseDouble(last.group(4)));
        out.put("maxLatencyMs", Double.parseDouble(last.group(5)));
        return out;
    }
}
