package io.gpumarket.billing.api;

import io.gpumarket.billing.domain.PayoutRun;
import io.gpumarket.billing.processing.PayoutRunner;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.OperatorGuard;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /api/v1/ops/billing-service/payout-runs} (operator only): runs the payout for the
 * latest cutoff now, without waiting for the scheduled run; paying a week twice books nothing twice.
 */
@Path("/api/v1/ops/{service}/payout-runs")
@Produces(MediaType.APPLICATION_JSON)
public class PayoutRunsResource {
    private final OperatorGuard guard;
    private final PayoutRunner payouts;
    private final Clock clock;

    public PayoutRunsResource(OperatorGuard guard, PayoutRunner payouts, Clock clock) {
        this.guard = guard;
        this.payouts = payouts;
        this.clock = clock;
    }

    public record Payout(String hostAccountId, String amount, String entryId) {}

    public record PayoutRunView(Instant cutoff, List<Payout> payouts) {}

    @POST
    public PayoutRunView run(@PathParam("service") String service) {
        guard.check(service);
        var result = payouts.run(PayoutRun.latestCutoff(clock.instant()));
        return new PayoutRunView(result.cutoff(), result.payouts().stream()
                .map(p -> new Payout(p.aggregateId(), Money.format(-p.amountMicros()), p.entryId())).toList());
    }
}
