package io.gpumarket.kit.processing;

/** The state of a processor that decides each input on its own. */
public enum NoState {
    INSTANCE
}
