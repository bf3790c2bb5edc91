package io.gpumarket.agent;

import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the GPUs are doing: read from {@code nvidia-smi} where it answers, otherwise idle readings
 * for the number of GPUs the agent was told to simulate.
 */
final class GpuProbe {
    private final int simulatedGpus;
    private String driverVersion = "simulated";
    private String cudaVersion = "simulated";

    GpuProbe(int simulatedGpus) {
        this.simulatedGpus = simulatedGpus;
    }

    String driverVersion() {
        return driverVersion;
    }

    String cudaVersion() {
        return cudaVersion;
    }

    List<GpuReading> read() {
        List<String> lines = nvidiaSmi("--query-gpu=index,utilization.gpu,memory.used,temperature.gpu,driver_version",
                "--format=csv,noheader,nounits");
        if (lines.isEmpty()) {
            List<GpuReading> out = new ArrayList<>();
            for (int i = 0; i < simulatedGpus; i++) {
                out.add(new GpuReading(i, 0, 0, 35));
            }
            return out;
        }
        List<GpuReading> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(",\\s*");
            if (f.length >= 5) {
                out.add(new GpuReading(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3])));
                driverVersion = f[4];
            }
        }
        List<String> cuda = nvidiaSmi("--query-gpu=compute_cap", "--format=csv,noheader");
        if (!cuda.isEmpty()) {
            cudaVersion = cuda.get(0).trim();
        }
        return out;
    }

    private static List<String> nvidiaSmi(String... args) {
        List<String> command = new ArrayList<>(List.of("nvidia-smi"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return List.of();
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
