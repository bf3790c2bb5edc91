package io.gpumarket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.events.serde.EventJson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Our side of the comparison, measured like pgbench measures PostgreSQL: {@code wrk} (C, epoll,
 * closed loop, kept-alive connections) sends a mix of GET requests round-robin with the caller's
 * API key, and a Lua {@code done} hook prints the figures as JSON. Any answer other than 2xx counts
 * as an error.
 */
final class Wrk {
    private final URI base;
    private final String apiKey;
    private final Path workDir;

    Wrk(URI base, String apiKey, Path workDir) {
        this.base = base;
        this.apiKey = apiKey;
        this.workDir = workDir;
    }

    Map<String, Object> run(String name, List<String> paths, int connections, int seconds)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("wrk-" + name + ".lua");
        String list = paths.stream().map(p -> "\"" + p.replace("\"", "\\\"") + "\"").collect(Collectors.joining(", "));
        Files.writeString(script, """
                wrk.headers["Authorization"] = "Bearer %s"
                local paths = { %s }
                local counter = 0
                request = function()
                  counter = counter + 1
                  return wrk.format("GET", paths[(counter %% #paths) + 1])
                end
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format('RESULT {"requests":%%d,"errors":%%d,"durationUs":%%d,"p50Us":%%d,"p99Us":%%d,"maxUs":%%d}\\n',
                    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
                    latency:percentile(50), latency:percentile(99), latency.max))
                end
                """.formatted(apiKey, list));
        Process p = new ProcessBuilder("wrk", "-t" + Math.min(2, connections), "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), base.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !output.contains("RESULT ")) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        JsonNode r = EventJson.mapper().readTree(output.substring(output.indexOf("RESULT ") + 7).trim());
        double duration = r.get("durationUs").asLong() / 1e6;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", r.get("requests").asLong());
        out.put("errors", r.get("errors").asLong());
        out.put("perSecond", Latencies.round(r.get("requests").asLong() / duration));
        out.put("p50Ms", r.get("p50Us").asLong() / 1000.0);
        out.put("p99Ms", r.get("p99Us").asLong() / 1000.0);
        out.put("maxMs", r.get("maxUs").asLong() / 1000.0);
        return out;
    }

    static String version() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("wrk").trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "wrk (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }
}
