package io.gpumarket.bench;

import io.gpumarket.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used over a measured interval, from {@code /proc}: per stack process (PostgreSQL with
 * its backends, the broker, the services a scenario names), the benchmark's own JVM, and the whole
 * machine, as cores busy on average.
 */
final class CpuClock {
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, List<ProcessHandle>> processes;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private final long startMachineBusy;
    private final long startNanos = System.nanoTime();

    private CpuClock(Map<String, List<ProcessHandle>> processes) {
        this.processes = processes;
        processes.forEach((name, list) -> startTicks.put(name, ticks(list)));
        this.startMachineBusy = machineBusyTicks();
    }

    /** Starts measuring PostgreSQL, the broker, the named services and the bench JVM (as {@code benchRole}). */
    static CpuClock start(LocalStack stack, List<String> services, String benchRole) {
        Map<String, List<ProcessHandle>> p = new LinkedHashMap<>();
        Optional<ProcessHandle> pg = stack.postgres();
        p.put("postgresql", pg.map(h -> Stream.concat(Stream.of(h), h.descendants()).toList()).orElse(List.of()));
        p.put("kafka", stack.process("kafka").stream().toList());
        for (String service : services) {
            p.put(service, stack.process(service).stream().toList());
        }
        p.put(benchRole + " (bench JVM)", List.of(ProcessHandle.current()));
        return new CpuClock(p);
    }

    /** Cores used on average by each process group and by the machine since {@link #start}. */
    Map<String, Object> stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        processes.forEach((name, list) -> out.put(name, cores(ticks(list) - startTicks.get(name), seconds)));
        out.put("machine", cores(machineBusyTicks() - startMachineBusy, seconds));
        out.put("unit", "cores busy on average (" + Runtime.getRuntime().availableProcessors() + " in all)");
        return out;
    }

    private static double cores(long ticks, double seconds) {
        return Math.round(ticks / TICKS_PER_SECOND / seconds * 100) / 100.0;
    }

    private static long ticks(List<ProcessHandle> list) {
        long sum = 0;
        for (ProcessHandle h : list) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // the process ended; its time is gone with it
            }
        }
        return sum;
    }

    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException e) {
            return 0;
        }
    }
}
