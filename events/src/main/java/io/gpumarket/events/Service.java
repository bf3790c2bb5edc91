package io.gpumarket.events;

/** The services of gpumarket; each topic has exactly one of them as its writer. */
public enum Service {
    BILLING("billing-service"),
    NODE("node-service"),
    OFFER("offer-service"),
    RENTAL("rental-service"),
    GATEWAY("gateway");

    private final String artifact;

    Service(String artifact) {
        this.artifact = artifact;
    }

    public String artifact() {
        return artifact;
    }
}
