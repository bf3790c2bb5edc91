package io.gpumarket.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The shared infrastructure is a real broker (with transactions) and a real PostgreSQL. */
class InfrastructureTest {
    private final Infrastructure infra = Infrastructure.get();

    @Test
    void brokerCommitsTransactionsThatReadCommittedConsumersSee() throws Exception {
        String bootstrap = infra.kafkaBootstrapServers();
        try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "transactional.id", "smoke-tx"), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("smoke", "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("smoke", "k", "committed"));
            producer.commitTransaction();
        }
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "group.id", "smoke", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("smoke"));
            var seen = new java.util.ArrayList<String>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
            }
            assertThat(seen).containsExactly("committed");
        }
    }

    @Test
    void postgresGivesFreshDatabases() throws Exception {
        String url = infra.freshDatabase("smoke_db");
        try (var c = DriverManager.getConnection(url, infra.dbUser(), infra.dbPassword());
                var s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int primary key)");
            s.execute("INSERT INTO t VALUES (1)");
            var rs = s.executeQuery("SELECT count(*) FROM t");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        String again = infra.freshDatabase("smoke_db");
        try (var c = DriverManager.getConnection(again, infra.dbUser(), infra.dbPassword());
                var s = c.createStatement()) {
            var rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'");
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
