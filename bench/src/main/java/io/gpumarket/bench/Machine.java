package io.gpumarket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the report says about where it ran: cores, the CPU model and memory (from {@code /proc}), the
 * JVM, the kernel, and the commit measured ({@code +changes} when the working tree differed from it),
 * so that reports from different machines or builds are not compared as if they were one.
 */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe(Path home) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("cpu", procField(Path.of("/proc/cpuinfo"), "model name"));
        out.put("memory", procField(Path.of("/proc/meminfo"), "MemTotal"));
        out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        out.put("commit", commit(home));
        return out;
    }

    /** The value of the first {@code name: value} line of a {@code /proc} file, or "unknown". */
    static String procField(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String commit(Path home) {
        try {
            Process p = new ProcessBuilder("git", "-C", home.toString(), "describe", "--always", "--abbrev=7",
                    "--dirty=+changes").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
