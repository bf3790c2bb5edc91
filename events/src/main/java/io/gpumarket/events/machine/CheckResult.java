package io.gpumarket.events.machine;

/** One hardware check of a registered machine: its name, whether it passed, and why. */
public record CheckResult(String name, boolean ok, String detail) {}
