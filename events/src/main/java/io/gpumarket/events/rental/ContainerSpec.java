package io.gpumarket.events.rental;

import java.util.List;
import java.util.Map;

/** What the host agent needs to run an instance's container. */
public record ContainerSpec(
        String image,
        String launchMode,
        String entrypoint,
        List<String> args,
        Map<String, String> env,
        String onstart,
        List<String> sshPublicKeys) {}
