package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.AccountRow;
import io.gpumarket.billing.projection.BalanceRow;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.account.AccountEvent.AccountOpened;
import io.gpumarket.events.account.AccountEvent.ApiKeyIssued;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.api.Secrets;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/accounts} opens a client or host account and issues its first API key
 * (shown once; only its hash goes on {@code gpumarket.accounts}); {@code GET /api/v1/account}
 * shows the caller's account with its balance and standing (active or suspended).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountsResource {
    static final Duration READ_YOUR_WRITES = Duration.ofSeconds(5);

    private final EventPublisher publisher;
    private final Projections projections;
    private final Callers callers;
    private final Clock clock;

    public AccountsResource(EventPublisher publisher, Projections projections, Callers callers, Clock clock) {
        this.publisher = publisher;
        this.projections = projections;
        this.callers = callers;
        this.clock = clock;
    }

    public record NewAccount(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Pattern(regexp = "client|host", message = "must be client or host") String role) {}

    public record CreatedAccount(String id, String role, String apiKey) {}

    /** {@code suspendedAt} while suspended; {@code lowBalanceAt} while a low-balance warning is out. */
    public record AccountView(String id, String name, String email, String role, String status, String balance,
            Instant suspendedAt, Instant lowBalanceAt) {}

    @POST
    @Path("/accounts")
    public Response open(@Valid @NotNull NewAccount body) {
        String id = UUID.randomUUID().toString();
        String apiKey = Secrets.generate("gpm_");
        var now = clock.instant();
        String requestId = callers.requestId();
        List<Event> events = List.of(
                new AccountOpened(new EventMeta(UUID.randomUUID(), id, 1, now, requestId), body.name().trim(),
                        body.email().trim(), Role.fromWire(body.role())),
                new ApiKeyIssued(new EventMeta(UUID.randomUUID(), id, 2, now, requestId),
                        UUID.randomUUID().toString(), KeyHash.of(apiKey), false));
        projections.awaitApplied(publisher.publish(events), READ_YOUR_WRITES);
        return Response.status(201).entity(new CreatedAccount(id, body.role(), apiKey)).build();
    }

    @GET
    @Path("/account")
    public AccountView me() {
        String id = callers.current().accountId();
        AccountRow a = AccountRow.findById(id);
        if (a == null) {
            throw Problem.notFound("account");
        }
        return new AccountView(a.id, a.name, a.email, a.role, a.status, Money.format(BalanceRow.of(id)), a.suspendedAt,
                a.lowBalanceAt);
    }
}
