package io.gpumarket.gateway.limits;

import java.util.regex.Pattern;

/** The budget a request draws on; which one is decided by its method and path alone. */
public enum Budget {
    SEARCH, CREATE, OTHER, SIGNUP, AGENT_CONNECT, AGENT_MESSAGES, AUTH_FAILURES;

    private static final Pattern CREATES = Pattern.compile(
            "^/api/v1/(instances|machines|machines/[^/]+/maintenance|account/(deposits|api-keys|ssh-keys))/?$");

    /** The per-key budget of an authenticated request. */
    public static Budget of(String method, String path) {
        if (method.equals("GET") && (path.equals("/api/v1/offers") || path.startsWith("/api/v1/offers/"))) {
            return SEARCH;
        }
        if (method.equals("POST") && CREATES.matcher(path).matches()) {
            return CREATE;
        }
        return OTHER;
    }

    RateLimitConfig.Limit limit(RateLimitConfig c) {
        return switch (this) {
            case SEARCH -> c.search();
            case CREATE -> c.create();
            case OTHER -> c.other();
            case SIGNUP -> c.signup();
            case AGENT_CONNECT -> c.agentConnect();
            case AGENT_MESSAGES -> c.agentMessages();
            case AUTH_FAILURES -> c.authFailures();
        };
    }
}
