package io.gpumarket.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A host with one listed machine and its running simulated agent, set up through the gateway like
 * any host would: open a host account, register the machine, list it, start its agent, and wait
 * until it is online. A later {@code up} on the same data resumes it instead of adding another.
 */
public record DemoHost(String hostKey, String machineId, String agentToken) {

    public static Map<String, Object> machineSpec(String name, int gpus) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("gpuModel", "RTX 4090");
        m.put("gpuCount", gpus);
        m.put("gpuRamGb", 24);
        m.put("cpuCores", 8 * gpus);
        m.put("ramGb", 64 * gpus);
        m.put("diskGb", 500 * gpus);
        m.put("region", "EU-DE");
        m.put("inetUpMbps", 1000);
        m.put("inetDownMbps", 1000);
        m.put("pcieGen", 4);
        m.put("pcieLanesPerGpu", 16);
        return m;
    }

    public static Map<String, Object> listing(String gpuPricePerHour) {
        return Map.of("gpuPricePerHour", gpuPricePerHour, "storagePricePerGbMonth", "0.100000",
                "bandwidthPricePerTb", "2.000000", "minGpus", 1, "minBidPerHour", "0.100000",
                "reservedDiscountMax", "0.4", "endDate", Instant.now().plus(90, ChronoUnit.DAYS).toString());
    }

    public static DemoHost create(LocalStack stack, Http http, String name, int gpus, String price) {
        String hostKey = http.post("/api/v1/accounts", null,
                Map.of("name", name + " host", "email", name + "@example.com", "role", "host"))
                .expect(201).text("apiKey");
        var registered = http.post("/api/v1/machines", hostKey, machineSpec(name, gpus)).expect(201);
        String machineId = registered.text("id");
        String token = registered.text("agentToken");
        http.put("/api/v1/machines/" + machineId + "/listing", hostKey, listing(price)).expect(200);
        stack.startAgent("agent-" + name, machineId, token, gpus);
        var demo = new DemoHost(hostKey, machineId, token);
        demo.awaitOnline(stack, http);
        return demo;
    }

    /** The demo host of an earlier run (the log kept it): start its agent again; else a new one. */
    public static DemoHost resume(LocalStack stack, Http http, Path saved) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(saved)) {
            p.load(in);
        }
        if (p.getProperty("HOST_KEY") == null || p.getProperty("MACHINE_ID") == null
                || p.getProperty("AGENT_TOKEN") == null) {
            return create(stack, http, "demo", 4, "0.400000");
        }
        var demo = new DemoHost(p.getProperty("HOST_KEY"), p.getProperty("MACHINE_ID"), p.getProperty("AGENT_TOKEN"));
        stack.startAgent("agent-demo", demo.machineId, demo.agentToken, 4);
        demo.awaitOnline(stack, http);
        return demo;
    }

    /** Writes the demo's keys for the walkthrough (a local, throw-away stack's secrets). */
    public void save(Path file, String gateway, String operatorKey) throws IOException {
        Files.writeString(file, "GATEWAY=" + gateway + "\nOPERATOR_KEY=" + operatorKey + "\nHOST_KEY=" + hostKey
                + "\nMACHINE_ID=" + machineId + "\nAGENT_TOKEN=" + agentToken + "\n");
    }

    private void awaitOnline(LocalStack stack, Http http) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!http.get("/api/v1/machines/" + machineId, hostKey).expect(200).body().get("online").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo machine's agent did not come online; see " + stack.logs());
            }
            LocalStack.sleep(200);
        }
    }
}
