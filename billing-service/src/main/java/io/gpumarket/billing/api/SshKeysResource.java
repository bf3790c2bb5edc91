package io.gpumarket.billing.api;

import io.gpumarket.billing.domain.SshPublicKey;
import io.gpumarket.billing.projection.SshKeyRow;
import io.gpumarket.events.account.AccountEvent.SshKeyAdded;
import io.gpumarket.events.account.AccountEvent.SshKeyRemoved;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
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
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/account/ssh-keys}: the SSH public keys an account puts into its instances. Adding
 * or removing one is an event on {@code gpumarket.accounts}; an invalid key is 422.
 */
@Path("/api/v1/account/ssh-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SshKeysResource {
    private final AccountChanges changes;
    private final Callers callers;

    public SshKeysResource(AccountChanges changes, Callers callers) {
        this.changes = changes;
        this.callers = callers;
    }

    public record NewSshKey(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 16384) String publicKey) {}

    public record SshKey(String id, String name, String fingerprint, String publicKey) {}

    @GET
    public List<SshKey> list() {
        String account = callers.current().accountId();
        return SshKeyRow.<SshKeyRow>list("accountId = ?1 order by addedAt, keyId", account).stream()
                .map(SshKeysResource::view).toList();
    }

    @POST
    public Response add(@Valid @NotNull NewSshKey body) {
        String account = callers.current().accountId();
        SshPublicKey key;
        try {
            key = SshPublicKey.parse(body.publicKey());
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("publicKey", e.getMessage());
        }
        String id = UUID.randomUUID().toString();
        var event = changes.publish(account, meta -> new SshKeyAdded(meta, id, body.name().trim(), key.line(),
                key.fingerprint()));
        return Response.status(201).entity(new SshKey(id, event.name(), key.fingerprint(), key.line())).build();
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") String id) {
        String account = callers.current().accountId();
        SshKeyRow row = SshKeyRow.findById(id);
        if (row == null || !row.accountId.equals(account)) {
            throw Problem.notFound("ssh key");
        }
        changes.publish(account, meta -> new SshKeyRemoved(meta, id));
        return Response.noContent().build();
    }

    private static SshKey view(SshKeyRow r) {
        return new SshKey(r.keyId, r.name, r.fingerprint, r.publicKey);
    }
}
