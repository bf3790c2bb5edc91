package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.BalanceRow;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.OperatorGuard;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code GET /api/v1/ops/billing-service/platform} (operator only): the platform's fee account and its balance. */
@Path("/api/v1/ops/{service}/platform")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformAccountResource {
    private final OperatorGuard guard;
    private final String platformAccount;

    public PlatformAccountResource(OperatorGuard guard,
            @ConfigProperty(name = "gpumarket.billing.platform-account") String platformAccount) {
        this.guard = guard;
        this.platformAccount = platformAccount;
    }

    public record Platform(String accountId, String balance) {}

    @GET
    public Platform platform(@PathParam("service") String service) {
        guard.check(service);
        return new Platform(platformAccount, Money.format(BalanceRow.of(platformAccount)));
    }
}
