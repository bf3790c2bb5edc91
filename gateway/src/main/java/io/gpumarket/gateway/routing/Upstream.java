package io.gpumarket.gateway.routing;

/** A service the gateway routes to. */
public enum Upstream {
    BILLING("billing-service"), NODE("node-service"), OFFER("offer-service"), RENTAL("rental-service"),
    /** The gateway's own endpoints (its operator actions). */
    SELF("gateway");

    private final String serviceName;

    Upstream(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}
