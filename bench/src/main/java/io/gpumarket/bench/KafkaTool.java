package io.gpumarket.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One of Kafka's own tools ({@code org.apache.kafka.tools.*}, what the {@code kafka-*.sh} scripts
 * run) in a JVM of its own, from the jars bench/target/lib holds; its output, or a failure with it.
 */
record KafkaTool(String mainClass, String heap, List<String> args) {

    /** The command as the report shows it: the tool and its arguments. */
    String shown() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1) + " " + String.join(" ", args);
    }

    String run(Path home, String what) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "-cp", home.resolve("bench/target/lib") + File.separator + "*", mainClass));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(what + " failed:\n" + output);
        }
        return output;
    }
}
