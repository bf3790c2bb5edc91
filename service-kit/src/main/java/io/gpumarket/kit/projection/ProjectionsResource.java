package io.gpumarket.kit.projection;

import io.gpumarket.kit.api.OperatorGuard;
import io.gpumarket.kit.api.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * Operator actions on this service's projections, under {@code /api/v1/ops/{service}/projections}:
 * list them with their caught-up state, rebuild one from offset 0 (202; readiness goes DOWN until
 * it has caught up again), and a digest of its state to compare a live and a rebuilt one.
 */
@Path("/api/v1/ops/{service}/projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionsResource {
    private final Projections projections;
    private final OperatorGuard guard;

    public ProjectionsResource(Projections projections, OperatorGuard guard) {
        this.projections = projections;
        this.guard = guard;
    }

    public record ProjectionState(String name, boolean caughtUp) {}

    @GET
    public List<ProjectionState> list(@PathParam("service") String service) {
        guard.check(service);
        return projections.caughtUp().entrySet().stream()
                .map(e -> new ProjectionState(e.getKey(), e.getValue())).toList();
    }

    @POST
    @Path("/{name}/rebuild")
    public jakarta.ws.rs.core.Response rebuild(@PathParam("service") String service, @PathParam("name") String name) {
        guard.check(service);
        if (!projections.has(name)) {
            throw Problem.notFound("projection " + name);
        }
        projections.rebuild(name);
        return jakarta.ws.rs.core.Response.accepted(Map.of("name", name, "rebuilding", true)).build();
    }

    @GET
    @Path("/{name}/digest")
    public Map<String, Object> digest(@PathParam("service") String service, @PathParam("name") String name) {
        guard.check(service);
        if (!projections.has(name)) {
            throw Problem.notFound("projection " + name);
        }
        return Map.of("name", name, "caughtUp", projections.caughtUp().get(name), "digest", projections.digest(name));
    }
}
