package io.gpumarket.billing.api;

import io.gpumarket.billing.projection.BalanceRow;
import io.gpumarket.billing.projection.LedgerLineRow;
import io.gpumarket.events.EventMeta;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * {@code POST /api/v1/account/deposits}: adds credit (payment is simulated) as a
 * {@code FundsDeposited} entry on {@code gpumarket.ledger}. With an {@code Idempotency-Key} the
 * entry id derives from the account and the key, so a repeat returns the first deposit and books
 * nothing twice.
 */
@Path("/api/v1/account/deposits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DepositsResource {
    static final long MAX_DEPOSIT_MICROS = Money.parseMicros("100000");

    private final EventPublisher publisher;
    private final Projections projections;
    private final Callers callers;
    private final Clock clock;

    public DepositsResource(EventPublisher publisher, Projections projections, Callers callers, Clock clock) {
        this.publisher = publisher;
        this.projections = projections;
        this.callers = callers;
        this.clock = clock;
    }

    public record NewDeposit(@NotNull @Size(max = 32) String amount) {}

    public record Deposit(String id, String amount, String balance) {}

    @POST
    public Response deposit(@Valid @NotNull NewDeposit body,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
        String account = callers.current().accountId();
        long micros;
        try {
            micros = Money.parseMicros(body.amount());
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("amount", e.getMessage());
        }
        if (micros <= 0 || micros > MAX_DEPOSIT_MICROS) {
            throw Problem.invalid("amount", "must be more than 0 and at most " + Money.format(MAX_DEPOSIT_MICROS));
        }
        String entryId = idempotencyKey == null || idempotencyKey.isBlank()
                ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("deposit:" + account + ":" + idempotencyKey)
                        .getBytes(StandardCharsets.UTF_8)).toString();
        LedgerLineRow earlier = LedgerLineRow.findById(entryId);
        if (earlier == null) {
            var event = new FundsDeposited(new EventMeta(UUID.randomUUID(), account, 0, clock.instant(),
                    callers.requestId()), entryId, micros);
            projections.awaitApplied(publisher.publish(event), AccountsResource.READ_YOUR_WRITES);
        } else if (!earlier.accountId.equals(account) || earlier.amount != micros) {
            throw Problem.conflict("this Idempotency-Key was used for a different deposit");
        }
        return Response.status(201)
                .entity(new Deposit(entryId, Money.format(micros), Money.format(BalanceRow.of(account))))
                .build();
    }
}
