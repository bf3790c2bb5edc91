package io.gpumarket.kit.time;

import io.gpumarket.kit.api.OperatorGuard;
import io.gpumarket.kit.api.Problem;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET/POST /api/v1/ops/{service}/clock[?advanceSeconds=]} (operator only): shows the service
 * clock and, where it is an {@link AdjustableClock}, moves it forward; elsewhere 404.
 */
@Path("/api/v1/ops/{service}/clock")
@Produces(MediaType.APPLICATION_JSON)
public class ClockResource {
    private final Clock clock;
    private final OperatorGuard guard;

    public ClockResource(Clock clock, OperatorGuard guard) {
        this.clock = clock;
        this.guard = guard;
    }

    public record ClockView(Instant now, long offsetSeconds) {}

    @GET
    public ClockView show(@PathParam("service") String service) {
        return view(adjustable(service));
    }

    @POST
    public ClockView advance(@PathParam("service") String service,
            @QueryParam("advanceSeconds") @Min(1) @Max(31_536_000) long seconds) {
        AdjustableClock c = adjustable(service);
        c.advance(Duration.ofSeconds(seconds));
        return view(c);
    }

    private AdjustableClock adjustable(String service) {
        guard.check(service);
        if (!(clock instanceof AdjustableClock c)) {
            throw Problem.notFound("adjustable clock of " + service);
        }
        return c;
    }

    private static ClockView view(AdjustableClock c) {
        return new ClockView(c.instant(), c.offset().toSeconds());
    }
}
