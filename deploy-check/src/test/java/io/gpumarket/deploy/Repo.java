package io.gpumarket.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository's root, and running a command there for its standard output. */
final class Repo {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The five services each deployment runs (module names, also their images' and Services' names). */
    static final List<String> SERVICES = List.of("billing-service", "node-service", "offer-service", "rental-service",
            "gateway");

    private Repo() {}

    static String run(String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("deploy-check", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + Files.readString(err));
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
