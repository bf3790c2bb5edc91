package io.gpumarket.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one local stack every end-to-end test class of a run shares (a real broker process, a real
 * PostgreSQL, every service from its jar, a demo host with a simulated agent): started by the first
 * class that needs it, stopped and deleted when the run ends (JUnit closes it from its root store).
 */
final class SharedStack implements BeforeAllCallback {
    static Path runDir;
    static LocalStack stack;
    static Http http;
    static DemoHost host;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(SharedStack.class, k -> new Running(), Running.class);
    }

    /** The running stack; closing it stops every process it started. */
    private static final class Running implements AutoCloseable {
        Running() {
            try {
                runDir = Files.createTempDirectory("gpumarket-e2e");
                stack = LocalStack.up(new LocalStack.Options(Path.of("..").toAbsolutePath().normalize(), runDir, true,
                        "gpm_operator_e2e").withAdjustableClocks());
                http = new Http(stack.gateway());
                host = DemoHost.create(stack, http, "e2e", 4, "0.450000");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws java.io.IOException {
            LocalStack.down(runDir);
            if (!Boolean.getBoolean("gpumarket.e2e.keep")) {
                try (var paths = Files.walk(runDir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
