package io.gpumarket.kit.api;

import io.gpumarket.events.account.Role;
import java.util.Arrays;

/**
 * Who is calling, as the gateway authenticated them and passed on in the {@code X-Gpumarket-Account}
 * and {@code X-Gpumarket-Role} headers (the gateway strips these headers from what clients send).
 */
public record Caller(String accountId, Role role) {
    public static final String ACCOUNT_HEADER = "X-Gpumarket-Account";
    public static final String ROLE_HEADER = "X-Gpumarket-Role";

    /** 403 unless the caller has one of the roles. */
    public Caller require(Role... roles) {
        if (Arrays.stream(roles).noneMatch(r -> r == role)) {
            throw Problem.forbidden("this endpoint is for " + String.join(" or ",
                    Arrays.stream(roles).map(Role::wire).toList()) + " accounts");
        }
        return this;
    }
}
