package io.gpumarket.kit.api;

import io.gpumarket.events.account.Role;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;

/** The authenticated {@link Caller} of the current request; a request without one is 401. */
@ApplicationScoped
public class Callers {
    private final CurrentVertxRequest request;

    public Callers(CurrentVertxRequest request) {
        this.request = request;
    }

    public Caller current() {
        var http = request.getCurrent().request();
        String account = http.getHeader(Caller.ACCOUNT_HEADER);
        String role = http.getHeader(Caller.ROLE_HEADER);
        if (account == null || account.isBlank() || role == null) {
            throw Problem.unauthorized();
        }
        try {
            return new Caller(account, Role.fromWire(role));
        } catch (IllegalArgumentException e) {
            throw Problem.unauthorized();
        }
    }

    /** The current caller, who must have one of the roles (403 otherwise). */
    public Caller require(Role... roles) {
        return current().require(roles);
    }

    /** The request id the gateway assigned, for the events' metadata. */
    public String requestId() {
        var current = request.getCurrent();
        return current == null ? null : current.request().getHeader("X-Request-Id");
    }
}
