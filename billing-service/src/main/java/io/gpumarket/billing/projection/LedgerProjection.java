package io.gpumarket.billing.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.events.ledger.LedgerEvent;
import io.gpumarket.events.ledger.LedgerEvent.FundsDeposited;
import io.gpumarket.events.ledger.LedgerEvent.InstancePosting;
import io.gpumarket.events.ledger.LedgerEvent.ReservationCharged;
import io.gpumarket.events.ledger.LedgerEvent.ReservationRefunded;
import io.gpumarket.events.ledger.LedgerEvent.PayoutBooked;
import io.gpumarket.events.ledger.LedgerEvent.UsageCharged;
import io.gpumarket.kit.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.postgresql.PGConnection;

/**
 * Reads {@code gpumarket.ledger} into ledger lines and balances. A posting about an instance (a
 * usage charge, a reservation's prepayment or its refund) books three lines: the client's
 * ({@code charge}, {@code reservation}, {@code refund}) and the host's earning, each added to its
 * account's line for that instance, kind and minute, and the platform's fee, added to its line for the minute (all instances); a
 * deposit or payout is a line of its own, keyed by its entry
 * id, so a repeated one counts once. Usage postings are unique by construction (the charger books
 * each step of usage once) and rows commit with the offsets, so each is summed once. A polled batch is summed in memory per line, copied into a
 * staging table ({@code COPY}) and merged into the lines and balances with two set-based upserts, in
 * the runner's transaction.
 */
@ApplicationScoped
public class LedgerProjection implements Projection {
    private static final String CREATE_STAGE = "CREATE TEMP TABLE IF NOT EXISTS ledger_stage (line_id TEXT,"
            + " account_id TEXT, kind TEXT, at TIMESTAMPTZ, amount BIGINT, entries INTEGER, instance_id TEXT,"
            + " machine_id TEXT) ON COMMIT DELETE ROWS";
    private static final String COPY_STAGE = "COPY ledger_stage FROM STDIN";
    private static final String MERGE_STAGED_LINES = "INSERT INTO ledger_line SELECT line_id, account_id, kind, at,"
            + " amount, entries, instance_id, machine_id FROM ledger_stage ON CONFLICT (line_id) DO UPDATE SET"
            + " amount = ledger_line.amount + EXCLUDED.amount, entries = ledger_line.entries + EXCLUDED.entries";
    private static final String ADD_STAGED_TO_BALANCES = "INSERT INTO balance (account_id, micros)"
            + " SELECT account_id, sum(amount) FROM ledger_stage GROUP BY account_id"
            + " ON CONFLICT (account_id) DO UPDATE SET micros = balance.micros + EXCLUDED.micros";
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
        return 80_000;
    }

    @Override
    public void apply(Event event, Position position) {
        applyAll(List.of(new Positioned(event, position)));
    }

    @Override
    public void applyAll(List<Positioned> batch) {
        Map<LineKey, Line> grouped = new HashMap<>(batch.size() * 2);
        Map<String, Line> single = new LinkedHashMap<>();
        for (Positioned p : batch) {
            LedgerEvent e = (LedgerEvent) p.event();
            if (e instanceof InstancePosting c) {
                long minute = Math.floorDiv(c.meta().occurredAt().getEpochSecond(), 60);
                group(grouped, new LineKey(c.aggregateId(), kind(c), c.instanceId(), minute), c, c.amountMicros());
                group(grouped, new LineKey(c.hostAccountId(), "earning", c.instanceId(), minute), c, c.earningMicros());
                group(grouped, new LineKey(platformAccount, "fee", null, minute), c, c.feeMicros());
            } else {
                single.putIfAbsent(e.entryId(), new Line(e.entryId(), e.aggregateId(), kind(e), e.meta().occurredAt(),
                        null, null, e.amountMicros()));
            }
        }
        em.unwrap(Session.class).doWork(connection -> write(connection, grouped, single));
    }

    /** A grouped line: an account's usage of one kind in one minute, of one instance or (no instance) of all. */
    private record LineKey(String account, String kind, String instanceId, long epochMinute) {
        String lineId() {
            Instant minute = Instant.ofEpochSecond(epochMinute * 60);
            return instanceId == null ? kind + ":" + minute : kind + ":" + instanceId + ":" + minute;
        }
    }

    private static void group(Map<LineKey, Line> lines, LineKey key, InstancePosting c, long amount) {
        if (amount == 0) {
            return;
        }
        lines.computeIfAbsent(key, k -> new Line(k.lineId(), k.account(), k.kind(),
                Instant.ofEpochSecond(k.epochMinute() * 60), k.instanceId(),
                k.instanceId() == null ? null : c.machineId(), 0)).add(amount);
    }

    private static void write(Connection connection, Map<LineKey, Line> grouped, Map<String, Line> single)
            throws SQLException {
        if (!grouped.isEmpty()) {
            stage(connection, grouped.values());
            try (Statement st = connection.createStatement()) {
                st.executeUpdate(MERGE_STAGED_LINES);
                st.executeUpdate(ADD_STAGED_TO_BALANCES);
            }
        }
        if (single.isEmpty()) {
            return;
        }
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
        try (PreparedStatement add = connection.prepareStatement(ADD_TO_BALANCE)) {
            for (var b : balances.entrySet()) {
                add.setString(1, b.getKey());
                add.setLong(2, b.getValue());
                add.addBatch();
            }
            add.executeBatch();
        }
    }

    /** Copies the batch's summed lines into this transaction's staging table (emptied at commit). */
    private static void stage(Connection connection, Collection<Line> lines) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE_STAGE);
        }
        StringBuilder rows = new StringBuilder(lines.size() * 160);
        for (Line l : lines) {
            rows.append(copyText(l.id)).append('\t').append(copyText(l.account)).append('\t').append(l.kind)
                    .append('\t').append(l.at).append('\t').append(l.amount).append('\t').append(l.entries)
                    .append('\t').append(copyText(l.instanceId)).append('\t').append(copyText(l.machineId))
                    .append('\n');
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_STAGE, new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new SQLException("could not stage ledger lines", e);
        }
    }

    /** A value in COPY's text format: backslash, tab and line breaks escaped, null as {@code \N}. */
    private static String copyText(String value) {
        if (value == null) {
            return "\\N";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
            }
        }
        return value;
    }

    /** The API's name for an entry's kind. */
    static String kind(LedgerEvent e) {
        if (e instanceof FundsDeposited) {
            return "deposit";
        } else if (e instanceof UsageCharged) {
            return "charge";
        } else if (e instanceof ReservationCharged) {
            return "reservation";
        } else if (e instanceof ReservationRefunded) {
            return "refund";
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
