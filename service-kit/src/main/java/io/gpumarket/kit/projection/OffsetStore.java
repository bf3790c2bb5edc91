package io.gpumarket.kit.projection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.hibernate.Session;

/**
 * The {@code projection_offset} table: for each projection and partition, the next offset to read.
 * Called only inside a projection runner's transaction, so offsets commit with the rows.
 */
@ApplicationScoped
public class OffsetStore {
    private static final String UPSERT = "INSERT INTO projection_offset (projection, topic, partition_, next_offset)"
            + " SELECT n, t, p, o FROM unnest(?::text[], ?::text[], ?::int4[], ?::int8[]) AS next(n, t, p, o)"
            + " ON CONFLICT (projection, topic, partition_) DO UPDATE SET next_offset = EXCLUDED.next_offset";

    private final EntityManager em;

    public OffsetStore(EntityManager em) {
        this.em = em;
    }

    public Map<TopicPartition, Long> load(String projection) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "SELECT topic, partition_, next_offset FROM projection_offset WHERE projection = ?1")
                .setParameter(1, projection).getResultList();
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Object[] r : rows) {
            out.put(new TopicPartition((String) r[0], ((Number) r[1]).intValue()), ((Number) r[2]).longValue());
        }
        return out;
    }

    /**
     * Stores the next offsets of every projection and partition given with one statement (arrays
     * unnested server-side): a batch spanning many partitions and projections costs one round trip.
     */
    public void save(Map<String, Map<TopicPartition, Long>> nextOffsets) {
        int n = nextOffsets.values().stream().mapToInt(Map::size).sum();
        if (n == 0) {
            return;
        }
        String[] projections = new String[n];
        String[] topics = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        int i = 0;
        for (var projection : nextOffsets.entrySet()) {
            for (var e : projection.getValue().entrySet()) {
                projections[i] = projection.getKey();
                topics[i] = e.getKey().topic();
                partitions[i] = e.getKey().partition();
                offsets[i] = e.getValue();
                i++;
            }
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setArray(1, connection.createArrayOf("text", projections));
                upsert.setArray(2, connection.createArrayOf("text", topics));
                upsert.setArray(3, connection.createArrayOf("int4", partitions));
                upsert.setArray(4, connection.createArrayOf("int8", offsets));
                upsert.executeUpdate();
            }
        });
    }

    /** Forgets the projection's offsets and empties its tables: the next run starts from offset 0. */
    public void reset(String projection, List<String> tables) {
        for (String table : tables) {
            em.createNativeQuery("DELETE FROM " + table).executeUpdate();
        }
        em.createNativeQuery("DELETE FROM projection_offset WHERE projection = ?1").setParameter(1, projection)
                .executeUpdate();
    }

    /** A digest of the tables' contents, independent of row order and of physical layout. */
    public String digest(List<String> tables) {
        StringBuilder all = new StringBuilder();
        for (String table : tables) {
            Object d = em.createNativeQuery("SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                    + " || ':' || count(*) FROM " + table + " t").getSingleResult();
            all.append(table).append('=').append(d).append(';');
        }
        return all.toString();
    }
}
