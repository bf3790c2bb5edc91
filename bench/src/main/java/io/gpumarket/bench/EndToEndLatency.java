package io.gpumarket.bench;

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
 * Kafka's own end-to-end latency tool ({@code org.apache.kafka.tools.EndToEndLatency}, what
 * {@code kafka-e2e-latency.sh} runs) against the same broker: one record at a time is produced
 * (acks=all) and consumed back before the next; it reports the round trip's average and
 * percentiles, the floor for each hop of a pipeline through the log.
 */
final class EndToEndLatency {
    private static final Pattern AVG = Pattern.compile("Avg latency: ([\\d.]+) ms");
    private static final Pattern PERCENTILES = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

    private EndToEndLatency() {}

    static Map<String, Object> run(Path home, String bootstrap, int records, int recordBytes) throws Exception {
        String topic = "gpumarket.bench-e2e-latency";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
        }
        var tool = new KafkaTool("org.apache.kafka.tools.EndToEndLatency", "256m", List.of(bootstrap, topic,
                Integer.toString(records), "all", Integer.toString(recordBytes)));
        String output = tool.run(home, "the end-to-end latency tool");
        Matcher avg = AVG.matcher(output);
        Matcher pct = PERCENTILES.matcher(output);
        if (!avg.find() || !pct.find()) {
            throw new IllegalStateException("no summary in the end-to-end latency tool's output:\n" + output);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", tool.shown());
        out.put("records", records);
        out.put("recordBytes", recordBytes);
        out.put("avgMs", Double.parseDouble(avg.group(1)));
        out.put("p50Ms", Double.parseDouble(pct.group(1)));
        out.put("p99Ms", Double.parseDouble(pct.group(2)));
        out.put("p999Ms", Double.parseDouble(pct.group(3)));
        return out;
    }
}
