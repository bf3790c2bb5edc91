package io.gpumarket.kit.projection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code projection_offset} table: for each projection and partition, the next offset to read.
 * Called only inside a projection runner's transaction, so offsets commit with the rows.
 */
@ApplicationScoped
public class OffsetStore {
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

    public void save(String projection, Map<TopicPartition, Long> nextOffsets) {
        for (var e : nextOffsets.entrySet()) {
            em.createNativeQuery("INSERT INTO projection_offset (projection, topic, partition_, next_offset)"
                    + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (projection, topic, partition_)"
                    + " DO UPDATE SET next_offset = EXCLUDED.next_offset")
                    .setParameter(1, projection).setParameter(2, e.getKey().topic())
                    .setParameter(3, e.getKey().partition()).setParameter(4, e.getValue()).executeUpdate();
        }
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
