package io.gpumarket.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free TCP ports on localhost for the processes a stack starts. They are taken below the kernel's
 * ephemeral range: a port the kernel handed out (what binding to port 0 returns) can be taken again
 * by any outgoing connection (a Kafka client's, say) between this check and the server's bind, and
 * the server then fails to start. Ports are handed out in turn from a random start, so two calls
 * never return the same port and two stacks on one machine rarely try the same ones.
 */
public final class FreePorts {
    private static final int FIRST = 20_000;
    private static final int LAST = Math.min(32_000, ephemeralRangeStart());
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(LAST - FIRST));

    private FreePorts() {}

    public static int next() {
        for (int tries = 0; tries < LAST - FIRST; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), LAST - FIRST);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free TCP port in " + FIRST + "-" + (LAST - 1));
    }

    private static boolean free(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The first port of Linux's ephemeral range, or the IANA one's (49152) where it cannot be read. */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(FIRST + 1_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException unreadable) {
            return 49_152;
        }
    }
}
