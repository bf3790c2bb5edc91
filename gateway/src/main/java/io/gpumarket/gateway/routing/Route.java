package io.gpumarket.gateway.routing;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which service owns a public path, whether it needs an API key and whether only an operator may
 * call it. Paths are forwarded unchanged: every service serves its part of {@code /api/v1} itself.
 */
public record Route(Upstream upstream, boolean authenticated, boolean operatorOnly) {
    public Route(Upstream upstream, boolean authenticated) {
        this(upstream, authenticated, false);
    }

    private static final Pattern LISTING = Pattern.compile("^/api/v1/machines/[^/]+/listing/?$");
    private static final Pattern MACHINE_RENTALS = Pattern.compile("^/api/v1/machines/[^/]+/rentals/?$");
    private static final Pattern OPS = Pattern.compile("^/api/v1/ops/([a-z-]+)(/.*)?$");

    public static Optional<Route> of(String method, String path) {
        if (path.equals("/api/v1/accounts") && method.equals("POST")) {
            return Optional.of(new Route(Upstream.BILLING, false));
        }
        if (path.equals("/api/v1/agent")) {
            return Optional.of(new Route(Upstream.NODE, false));
        }
        if (path.equals("/api/v1/account") || path.startsWith("/api/v1/account/")) {
            return Optional.of(new Route(Upstream.BILLING, true));
        }
        if (LISTING.matcher(path).matches()) {
            return Optional.of(new Route(Upstream.OFFER, true));
        }
        if (MACHINE_RENTALS.matcher(path).matches()) {
            return Optional.of(new Route(Upstream.RENTAL, true));
        }
        if (path.equals("/api/v1/machines") || path.startsWith("/api/v1/machines/")) {
            return Optional.of(new Route(Upstream.NODE, true));
        }
        if (path.equals("/api/v1/offers") || path.startsWith("/api/v1/offers/")) {
            return Optional.of(new Route(Upstream.OFFER, true));
        }
        if (path.equals("/api/v1/instances") || path.startsWith("/api/v1/instances/")) {
            return Optional.of(new Route(Upstream.RENTAL, true));
        }
        var ops = OPS.matcher(path);
        if (ops.matches()) {
            for (Upstream u : Upstream.values()) {
                if (u.serviceName().equals(ops.group(1))) {
                    return Optional.of(new Route(u, true, true));
                }
            }
        }
        return Optional.empty();
    }
}
