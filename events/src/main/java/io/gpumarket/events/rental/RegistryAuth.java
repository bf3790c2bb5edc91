package io.gpumarket.events.rental;

/**
 * Credentials for pulling a private image: the registry ({@code server}, e.g. {@code ghcr.io}),
 * user and password or token. They travel in the container spec on the log to the host agent.
 */
public record RegistryAuth(String server, String username, String password) {}
