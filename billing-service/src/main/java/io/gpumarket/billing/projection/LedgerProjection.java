package io.gpumarket.billing.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.ledger.LedgerEvent.PayoutBooked;
import io.gpumarket.events.ledger.LedgerEvent.UsageCharged;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * Reads {@code gpumarket.ledger} into ledger lines and balances. A usage posting books three lines
 * (the client's charge, the host's earning, the platform's fee), each added to its account's line
 * for that instance, kind and minute; a deposit or payout is a line of its own, keyed by its entry
 * id, so a repeated one counts once. A polled batch is summed in memory and written with one
 * upsert per line and per balance touched, in the runner's transaction.
 */
@ApplicationScoped
public class LedgerProjection implements Projection {
    private static final String UPSERT_LINE = "INSERT INTO ledger_line (line_id, account_id, kind, at, amount, entries,"
            + " instance_id, machine_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (line_id) DO UPDATE SET"
            + " amount = ledger_line.amount + EXCLUDED.amount, entries = ledger_line.entries + EXCLUDED.entries";
    private static final String INSERT_ENTRY = "INSERT INTO ledger_line (line_id, account_id, kind, at, amount, entries,"
            + " instance_id, machine_id) VALUES (?, ?, ?, ?, ?, 1, NULL, NULL) ON CONFLICT (line_id) DO NOTHING";
    private static final String ADD_TO_BALANCE = "INSERT INTO balance (account_id, micros) VALUES (?, ?)"
            + " ON CONFLICT (account_id) DO UPDATE SET micros = balance.micros + EXCLUDED.micros";

    private final EntityManager em;
    private final String platformAccount;

    public LedgerProjection(EntityManager em,
            @ConfigProperty(name = "gpumarket.billing.platform-account") String platformAccount) {
        this.em = em;
        this.platformAccount = platformAccount;
    }

    @Override
    public String name() {
        return "billing-ledger";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.LEDGER);
    }

    @Override
    public List<String> tables() {
        return List.of("ledger_line", "balance");
    }

    @Override
    public int maxPollRecords() {
        return 20_000;
    }

    @Override
    public void apply(Event event, Position position) {
        applyAll(List.of(new Positioned(event, position)));
    }

    @Override
    public void applyAll(List<Positioned> batch) {
        Map<String, Line> grouped = new LinkedHashMap<>();
        Map<String, Line> single = new LinkedHashMap<>();
        for (Positioned p : batch) {
            LedgerEvent e = (LedgerEvent) p.event();
            if (e instanceof UsageCharged c) {
                Instant minute = c.end().truncatedTo(ChronoUnit.MINUTES);
                group(grouped, c.aggregateId(), "charge", minute, c.amountMicros(), c);
                group(grouped, c.hostAccountId(), "earning", minute, c.earningMicros(), c);
                group(grouped, platformAccount, "fee", minute, c.feeMicros(), c);
            } else {
                single.putIfAbsent(e.entryId(), new Line(e.entryId(), e.aggregateId(), kind(e), e.meta().occurredAt(),
                        null, null, e.amountMicros()));
            }
        }
        em.unwrap(Session.class).doWork(connection -> write(connection, grouped, single));
    }

    private static void group(Map<String, Line> lines, String account, String kind, Instant minute, long amount,
            UsageCharged c) {
        if (amount == 0) {
            return;
        }
        String id = kind + ":" + c.instanceId() + ":" + minute;
        lines.computeIfAbsent(id, k -> new Line(k, account, kind, minute, c.instanceId(), c.machineId(), 0)).add(amount);
    }

    private static void write(Connection connection, Map<String, Line> grouped, Map<String, Line> single)
            throws SQLException {
        Map<String, Long> balances = new HashMap<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ENTRY)) {
            for (Line l : single.values()) {
                insert.setString(1, l.id);
                insert.setString(2, l.account);
                insert.setString(3, l.kind);
                insert.setTimestamp(4, Timestamp.from(l.at));
                insert.setLong(5, l.amount);
                if (insert.executeUpdate() == 1) {
                    balances.merge(l.account, l.amount, Math::addExact);
                }
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_LINE)) {
            for (Line l : grouped.values()) {
                upsert.setString(1, l.id);
                upsert.setString(2, l.account);
                upsert.setString(3, l.kind);
                upsert.setTimestamp(4, Timestamp.from(l.at));
                upsert.setLong(5, l.amount);
                upsert.setInt(6, l.entries);
                upsert.setString(7, l.instanceId);
                upsert.setString(8, l.machineId);
                upsert.addBatch();
                balances.merge(l.account, l.amount, Math::addExact);
            }
            upsert.executeBatch();
        }
        try (PreparedStatement add = connection.prepareStatement(ADD_TO_BALANCE)) {
            for (var b : balances.entrySet()) {
                add.setString(1, b.getKey());
                add.setLong(2, b.getValue());
                add.addBatch();
            }
            add.executeBatch();
        }
    }

    /** The API's name for an entry's kind. */
    static String kind(LedgerEvent e) {
        if (e instanceof FundsDeposited) {
            return "deposit";
        } else if (e instanceof UsageCharged) {
            return "charge";
        } else if (e instanceof PayoutBooked) {
            return "payout";
        }
        throw new IllegalArgumentException("unhandled ledger event " + e.getClass().getSimpleName());
    }

    private static final class Line {
        final String id;
        final String account;
        final String kind;
        final Instant at;
        final String instanceId;
        final String machineId;
        long amount;
        int entries;

        Line(String id, String account, String kind, Instant at, String instanceId, String machineId, long amount) {
            this.id = id;
            this.account = account;
            this.kind = kind;
            this.at = at;
            this.instanceId = instanceId;
            this.machineId = machineId;
            this.amount = amount;
        }

        void add(long micros) {
            amount = Math.addExact(amount, micros);
            entries++;
        }
    }
}
