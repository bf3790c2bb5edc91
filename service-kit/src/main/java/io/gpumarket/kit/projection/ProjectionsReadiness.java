package io.gpumarket.kit.projection;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once every projection has caught up with the log end it saw when it started. */
@Readiness
@ApplicationScoped
public class ProjectionsReadiness implements HealthCheck {
    private final Projections projections;

    public ProjectionsReadiness(Projections projections) {
        this.projections = projections;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("projections").status(projections.allCaughtUp());
        projections.caughtUp().forEach(builder::withData);
        return builder.build();
    }
}
