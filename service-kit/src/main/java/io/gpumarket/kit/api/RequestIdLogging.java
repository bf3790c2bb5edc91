package io.gpumarket.kit.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Puts the {@code X-Request-Id} the gateway stamped on a request into the logging context
 * ({@code requestId}, printed by every service's log format) while the request is handled, so a
 * log line names the request that caused it, as the events' metadata does.
 */
public class RequestIdLogging {
    static final String KEY = "requestId";

    @ServerRequestFilter
    public void tag(ContainerRequestContext request) {
        String id = request.getHeaderString("X-Request-Id");
        if (id == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, id);
        }
    }

    @ServerResponseFilter
    public void untag() {
        MDC.remove(KEY);
    }
}
