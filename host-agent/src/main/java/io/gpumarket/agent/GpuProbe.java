package io.gpumarket.agent;

import io.gpumarket.events.heartbeat.HeartbeatEvent.GpuReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the GPUs are doing: read from {@code nvidia-smi} where it answers (a GPU whose values read
 * as errors, e.g. {@code [GPU requires reset]}, is reported with that fault; one missing from the
 * list is lost), otherwise idle readings for the GPUs the agent was told to simulate, with the
 * faults a simulation injects.
 */
final class GpuProbe {
    private static final Pattern CUDA = Pattern.compile("CUDA Version:\\s*([0-9.]+)");

    private final int simulatedGpus;
    private final String simulatedModel;
    private final boolean real;
    private final Map<Integer, String> simulatedFaults = new ConcurrentHashMap<>();
    private volatile String driverVersion = "simulated";
    private volatile String cudaVersion = "simulated";
    private volatile String model;

    GpuProbe(int simulatedGpus, String simulatedModel) {
        this.simulatedGpus = simulatedGpus;
        this.simulatedModel = simulatedModel;
        this.model = simulatedModel;
        List<String> banner = nvidiaSmi();
        this.real = !banner.isEmpty();
        if (real) {
            banner.stream().map(CUDA::matcher).filter(Matcher::find).findFirst().ifPresent(m -> cudaVersion = m.group(1));
        }
    }

    String driverVersion() {
        return driverVersion;
    }

    String cudaVersion() {
        return cudaVersion;
    }

    /** The GPU model as the driver names it (or as simulated). */
    String model() {
        return model;
    }

    /** Makes a simulated GPU report a fault ({@code reason}) or, with null, recover. */
    void simulateFault(int gpu, String reason) {
        if (reason == null) {
            simulatedFaults.remove(gpu);
        } else {
            simulatedFaults.put(gpu, reason);
        }
    }

    List<GpuReading> read() {
        List<GpuReading> out = new ArrayList<>();
        if (!real) {
            for (int i = 0; i < simulatedGpus; i++) {
                String fault = simulatedFaults.get(i);
                out.add(fault == null ? new GpuReading(i, 0, 0, 35, null) : new GpuReading(i, 0, 0, 0, fault));
            }
            return out;
        }
        for (String line : nvidiaSmi("--query-gpu=index,utilization.gpu,memory.used,temperature.gpu,driver_version,name",
                "--format=csv,noheader,nounits")) {
            String[] f = line.split(",\\s*");
            if (f.length < 6) {
                continue;
            }
            int index = Integer.parseInt(f[0].trim());
            driverVersion = f[4].trim();
            model = f[5].trim().replaceFirst("^NVIDIA ", "").replaceFirst("^GeForce ", "");
            try {
                out.add(new GpuReading(index, Integer.parseInt(f[1].trim()), Integer.parseInt(f[2].trim()),
                        Integer.parseInt(f[3].trim()), null));
            } catch (NumberFormatException e) {
                out.add(new GpuReading(index, 0, 0, 0, "nvidia-smi reads " + line.trim()));
            }
        }
        return out;
    }

    private static List<String> nvidiaSmi(String... args) {
        List<String> command = new ArrayList<>(List.of("nvidia-smi"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
