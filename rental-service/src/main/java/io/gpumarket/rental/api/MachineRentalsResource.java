package io.gpumarket.rental.api;

import io.gpumarket.events.account.Role;
import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.rental.projection.InstanceRow;
import io.gpumarket.rental.projection.RentableMachineRow;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/machines/{id}/rentals}: for the machine's host, the instances placed on it
 * that have not ended, without anything about who rented them (no account, label, image, access
 * or costs): status, type, GPUs, the price per hour of the contract, since when and until when.
 * Read from the {@code rental-instances} and {@code rental-catalog} projections. Another host's
 * machine is 404, a client 403.
 */
@Path("/api/v1/machines/{id}/rentals")
@Produces(MediaType.APPLICATION_JSON)
public class MachineRentalsResource {
    private static final Set<String> ENDED = Set.of("terminating", "terminated", "rental_error");

    private final Callers callers;

    public MachineRentalsResource(Callers callers) {
        this.callers = callers;
    }

    public record Rental(String instanceId, String status, String type, Integer numGpus, String pricePerHour,
            Instant createdAt, Instant endDate) {}

    public record Rentals(String machineId, List<Rental> rentals) {}

    @GET
    public Rentals rentals(@PathParam("id") String id) {
        String host = callers.require(Role.HOST).accountId();
        RentableMachineRow m = RentableMachineRow.findById(id);
        if (m == null || !host.equals(m.hostAccountId)) {
            throw Problem.notFound("machine " + id);
        }
        List<InstanceRow> rows = InstanceRow.list("machineId = ?1 and placed = true order by createdAt, id", id);
        return new Rentals(id, rows.stream().filter(i -> !ENDED.contains(i.shownStatus()))
                .map(i -> new Rental(i.id, i.shownStatus(), i.rentalType, i.numGpus,
                        i.pricePerHour == null ? null : Money.format(i.shownPricePerHour()), i.createdAt,
                        i.shownEndDate()))
                .toList());
    }
}
