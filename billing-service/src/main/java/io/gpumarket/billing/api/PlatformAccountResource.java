package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.BalanceRow;
import io.gpumarket.events.Service;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
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
    private final Callers callers;
    private final String platformAccount;

    public PlatformAccountResource(Callers callers,
            @ConfigProperty(name = "gpumarket.billing.platform-account") String platformAccount) {
        this.callers = callers;
        this.platformAccount = platformAccount;
    }

    public record Platform(String accountId, String balance) {}

    @GET
    public Platform platform(@PathParam("service") String service) {
        callers.require(Role.OPERATOR);
        if (!Service.BILLING.artifact().equals(service)) {
            throw Problem.notFound("service " + service);
        }
        return new Platform(platformAccount, Money.format(BalanceRow.of(platformAccount)));
    }
}
