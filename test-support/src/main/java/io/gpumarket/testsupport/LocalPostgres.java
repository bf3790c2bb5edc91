package io.gpumarket.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server from the binaries installed on this machine ({@code /usr/lib/postgresql/N/bin},
 * highest N, or {@code pg_ctl} on the PATH), in a data directory of our own, listening on localhost
 * only with trust authentication. As root, every command runs as the {@code postgres} user, because
 * initdb refuses root. The server runs detached (pg_ctl), so it outlives the JVM that started it
 * until {@link #stop()}.
 */
public final class LocalPostgres {
    public static final String USER = "postgres";

    private final Path dataDir;
    private final int port;
    private final Path bin;

    private LocalPostgres(Path dataDir, int port, Path bin) {
        this.dataDir = dataDir;
        this.port = port;
        this.bin = bin;
    }

    /** Initialises {@code dataDir} if it is empty, then starts the server on {@code port}. */
    public static LocalPostgres start(Path dataDir, int port) {
        Path bin = findBinaries();
        var pg = new LocalPostgres(dataDir.toAbsolutePath(), port, bin);
        pg.initIfNeeded();
        pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", pg.dataDir.toString(), "-w", "-t", "60",
                "-l", pg.dataDir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + pg.dataDir + " -c listen_addresses=localhost -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start"));
        return pg;
    }

    public static Path findBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            var found = versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))));
            if (found.isPresent()) {
                return found.get();
            }
        } catch (IOException ignored) {
            // fall through to the PATH
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException("No PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin"
                + " and the PATH). Install them, e.g. apt-get install -y postgresql");
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** Stops the server at once (it holds only data we can rebuild). */
    public void stop() {
        stopAt(dataDir);
    }

    /** Stops the server running on a data directory, whoever started it. */
    public static void stopAt(Path dataDir) {
        var pg = new LocalPostgres(dataDir.toAbsolutePath(), 0, findBinaries());
        pg.run(List.of(pg.bin.resolve("pg_ctl").toString(), "-D", pg.dataDir.toString(), "-m", "fast", "-w", "stop"));
    }

    private void initIfNeeded() {
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("PG_VERSION"))) {
                return;
            }
            if (runningAsRoot()) {
                // the postgres user must reach the directory (temp dirs are created 0700)
                Files.setPosixFilePermissions(dataDir.getParent(),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                exec(List.of("chown", "-R", USER + ":" + USER, dataDir.toString()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + dataDir, e);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        exec(full);
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
