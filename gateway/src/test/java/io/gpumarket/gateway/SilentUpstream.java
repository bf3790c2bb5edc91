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
 * would listen, so the gateway's answers to a service that is up but silent (504) or saturated (503)
 * can be seen. {@link #accepted} tells a test how many connections the gateway has opened to it.
 */
public class SilentUpstream implements QuarkusTestResourceLifecycleManager {
    private ServerSocket server;
    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

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
                    HELD.add(server.accept());
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

    /** Connections the gateway has opened to this server since it started (they are never closed by it). */
    public static int accepted() {
        return HELD.size();
    }

    @Override
    public void stop() {
        try {
            server.close();
            for (Socket s : HELD) {
                s.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
