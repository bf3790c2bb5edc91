package io.gpumarket.rental.api;

import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.rental.projection.InstanceRow;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's own instances: another account's instance, like a missing one, is 404. */
@ApplicationScoped
public class OwnInstances {
    private final Callers callers;

    public OwnInstances(Callers callers) {
        this.callers = callers;
    }

    public InstanceRow get(String id) {
        String account = callers.current().accountId();
        InstanceRow i = InstanceRow.findById(id);
        if (i == null || !account.equals(i.accountId)) {
            throw Problem.notFound("instance");
        }
        return i;
    }
}
