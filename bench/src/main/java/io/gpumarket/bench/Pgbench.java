package io.gpumarket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * PostgreSQL's own load tool on the same machine and the same data: runs {@code pgbench} with one
 * script per query (prepared statements, {@code clients} connections, two threads when the clients
 * divide evenly) and reads its
 * per-transaction log, so the report gives PostgreSQL's rate and latency percentiles beside ours.
 */
final class Pgbench {
    private final Path binary;
    private final int port;
    private final String database;
    private final Path workDir;

    Pgbench(int port, String database, Path workDir) {
        this.binary = find();
        this.port = port;
        this.database = database;
        this.workDir = workDir;
    }

    record Result(Latencies latencies, double seconds, String version) {}

    Result run(String name, List<String> queries, int clients, int seconds) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workDir.resolve("pgbench-" + name));
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-n", "-M", "prepared", "-c",
                Integer.toString(clients), "-j", clients % 2 == 0 ? "2" : "1", "-T", Integer.toString(seconds), "-h", "localhost", "-p",
                Integer.toString(port), "-U", "postgres", "-l", "--log-prefix=" + dir.resolve("tx")));
        for (int i = 0; i < queries.size(); i++) {
            Path script = dir.resolve("q" + i + ".sql");
            Files.writeString(script, queries.get(i) + ";\n");
            command.addAll(List.of("-f", script.toString()));
        }
        command.add(database);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pgbench.out").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed: " + Files.readString(dir.resolve("pgbench.out")));
        }
        Latencies latencies = new Latencies();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("tx")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    // client_id transaction_no time_us script_no time_epoch time_us_fraction
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 3) {
                        latencies.add(Long.parseLong(f[2]) * 1000);
                    }
                }
            }
        }
        return new Result(latencies, seconds, version());
    }

    private String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    private static Path find() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).sorted()
                    .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("pgbench is not installed"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed under /usr/lib/postgresql", e);
        }
    }
}
