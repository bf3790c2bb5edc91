package io.gpumarket.kit.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * A daemon thread that owns one Kafka consumer: {@link #work} runs until {@link #stop()}; if it
 * fails, the consumer is closed and a fresh one starts over after a second, so whatever state the
 * work keeps must be rebuilt from the log (or the database) at each start.
 */
public abstract class ConsumerWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(ConsumerWorker.class);

    private final String threadName;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    protected ConsumerWorker(String threadName) {
        this.threadName = threadName;
    }

    protected abstract KafkaConsumer<String, byte[]> newConsumer();

    /** Consumes until {@link #running()} turns false; throwing starts over with a new consumer. */
    protected abstract void work(KafkaConsumer<String, byte[]> consumer);

    /** Called before each (re)start of the work; the first time before {@link #start()} returns. */
    protected void beforeStart() {}

    protected final boolean running() {
        return running;
    }

    /** The consumer of the current run (only for the work thread and its callbacks). */
    protected final KafkaConsumer<String, byte[]> consumer() {
        return consumer;
    }

    public synchronized void start() {
        running = true;
        beforeStart();
        thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        var c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public final void run() {
        boolean restart = false;
        while (running) {
            if (restart) {
                beforeStart();
            }
            restart = true;
            try (var c = newConsumer()) {
                consumer = c;
                work(c);
            } catch (WakeupException e) {
                // stop() asked us to leave
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed; starting over from the log", threadName);
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
    }

    protected static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
