package io.gpumarket.kit.projection;

import io.quarkus.hibernate.orm.panache.Panache;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the rows a projection batch touches with one statement: Hibernate's {@code findMultiple}
 * binds the ids as one array parameter, so the statement has one cached plan whatever the count
 * (an {@code id in ?1} query is translated again for every new list length).
 */
public final class RowsById {
    private RowsById() {}

    /** The rows of {@code type} with these ids that exist, by id; in the caller's transaction. */
    public static <K, E> Map<K, E> load(Class<E> type, Collection<K> ids, Function<E, K> idOf) {
        Map<K, E> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        for (E row : Panache.getSession(type).findMultiple(type, List.copyOf(ids))) {
            if (row != null) {
                rows.put(idOf.apply(row), row);
            }
        }
        return rows;
    }
}
