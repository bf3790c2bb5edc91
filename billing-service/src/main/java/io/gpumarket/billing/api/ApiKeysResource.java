package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.ApiKeyRow;
import io.gpumarket.events.account.AccountEvent.ApiKeyIssued;
import io.gpumarket.events.account.AccountEvent.ApiKeyRevoked;
import io.gpumarket.events.account.KeyHash;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.api.Secrets;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/account/api-keys}: an account's API keys. A new key is 256 random bits, shown once
 * in the 201 answer; only its SHA-256 travels on {@code gpumarket.accounts} ({@code ApiKeyIssued}),
 * from which the gateway learns it. A read-only key may only read (the gateway refuses anything but
 * GET). Revoking ({@code ApiKeyRevoked}) stops a key at the gateway as soon as it reads the event; an
 * account keeps at least one live key and has at most {@value #MAX_LIVE_KEYS}.
 */
@Path("/api/v1/account/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeysResource {
    static final int MAX_LIVE_KEYS = 20;

    private final AccountChanges changes;
    private final Callers callers;

    public ApiKeysResource(AccountChanges changes, Callers callers) {
        this.changes = changes;
        this.callers = callers;
    }

    public record NewApiKey(@NotBlank @Size(max = 100) String name, Boolean readOnly) {}

    public record ApiKeyView(String id, String name, boolean readOnly, Instant createdAt) {}

    /** The answer to a new key: the only time {@code apiKey} is shown. */
    public record CreatedApiKey(String id, String name, boolean readOnly, Instant createdAt, String apiKey) {}

    public record ApiKeyList(List<ApiKeyView> keys) {}

    @GET
    public ApiKeyList list() {
        String account = callers.current().accountId();
        return new ApiKeyList(live(account).stream()
                .map(k -> new ApiKeyView(k.keyId, k.name, k.readOnly, k.issuedAt)).toList());
    }

    @POST
    public Response issue(@Valid @NotNull NewApiKey body) {
        String account = callers.current().accountId();
        String apiKey = Secrets.generate("gpm_");
        String id = UUID.randomUUID().toString();
        boolean readOnly = Boolean.TRUE.equals(body.readOnly());
        ApiKeyIssued issued = changes.publish(account, meta -> {
            if (live(account).size() >= MAX_LIVE_KEYS) {
                throw Problem.conflict("an account has at most " + MAX_LIVE_KEYS + " live API keys; revoke one first");
            }
            return new ApiKeyIssued(meta, id, KeyHash.of(apiKey), readOnly, body.name().trim());
        });
        return Response.status(201).entity(new CreatedApiKey(id, issued.name(), readOnly,
                issued.meta().occurredAt(), apiKey)).build();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") @Size(max = 64) String id) {
        String account = callers.current().accountId();
        changes.publish(account, meta -> {
            List<ApiKeyRow> live = live(account);
            if (live.stream().noneMatch(k -> k.keyId.equals(id))) {
                throw Problem.notFound("API key " + id);
            }
            if (live.size() == 1) {
                throw Problem.conflict("this is the account's last live API key; issue another one first");
            }
            return new ApiKeyRevoked(meta, id);
        });
        return Response.noContent().build();
    }

    private static List<ApiKeyRow> live(String account) {
        return ApiKeyRow.list("accountId = ?1 and revoked = false order by issuedAt, keyId", account);
    }
}
