package io.gpumarket.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that takes connections and never answers, standing where node-service and rental-service
 * would listen, so
 * the gateway's answers to a service that is up but silent (504) or saturated (503) can be seen.
 */
public class SilentUpstream implements QuarkusTestResourceLifecycleManager {
    private ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    held.add(server.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        String silent = "http://127.0.0.1:" + server.getLocalPort();
        return Map.of("gpumarket.gateway.node-url", silent, "gpumarket.gateway.rental-url", silent);
    }

    @Override
    public void stop() {
        try {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
