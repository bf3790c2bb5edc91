package io.gpumarket.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The broker's own counters, read over JMX from its process (the attach API starts its local
 * management agent, as {@code jconsole} does): requests handled, by type
 * ({@code kafka.network:type=RequestMetrics,name=RequestsPerSec}), and records appended, by topic
 * ({@code kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec}), transaction markers and the
 * internal topics included ({@code __consumer_offsets} holds the group offsets sent with
 * transactions, {@code __transaction_state} the coordinator's log). Two snapshots say what the
 * broker did per rent in between: counts, not timings (batches still grow with the load, so the
 * counts of two builds compare best at the same rate).
 */
final class BrokerCounters implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private BrokerCounters(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    static BrokerCounters attach(ProcessHandle broker) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(broker.pid()));
        try {
            return new BrokerCounters(JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())));
        } finally {
            vm.detach();
        }
    }

    /** Every counter now: {@code requests <type>} and {@code records <topic>}. */
    Map<String, Long> snapshot() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (ObjectName n : server.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
            counts.merge("requests " + n.getKeyProperty("request"), (Long) server.getAttribute(n, "Count"), Long::sum);
        }
        for (ObjectName n : server.queryNames(new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=*"), null)) {
            counts.put("records " + n.getKeyProperty("topic"), (Long) server.getAttribute(n, "Count"));
        }
        return counts;
    }

    /** What changed between two snapshots, per rent, largest first; counters that did not move are left out. */
    static Map<String, Object> perRent(Map<String, Long> before, Map<String, Long> after, long rents) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String kind : new String[] {"records", "requests"}) {
            Map<String, Double> each = new LinkedHashMap<>();
            after.entrySet().stream().filter(e -> e.getKey().startsWith(kind + " "))
                    .map(e -> Map.entry(e.getKey().substring(kind.length() + 1), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> each.put(e.getKey(), Math.round(e.getValue() * 100.0 / rents) / 100.0));
            out.put(kind, each);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
