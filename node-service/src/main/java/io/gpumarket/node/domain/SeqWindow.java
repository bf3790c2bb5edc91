package io.gpumarket.node.domain;

/**
 * Which heartbeats of one agent boot were already counted: the highest seq seen and a mask of the
 * {@value #WIDTH} below it, so a heartbeat resent after a reconnect, even out of order, counts
 * once. A new boot starts a new window; a seq older than the window is taken as seen.
 */
public record SeqWindow(String bootId, long maxSeq, long mask) {
    public static final int WIDTH = 64;

    /** The window after seeing {@code seq} of {@code boot}, or null when it was seen already. */
    public static SeqWindow admit(SeqWindow w, String boot, long seq) {
        if (w == null || !w.bootId().equals(boot)) {
            return new SeqWindow(boot, seq, 1L);
        }
        if (seq > w.maxSeq()) {
            long shift = seq - w.maxSeq();
            long moved = shift >= WIDTH ? 0 : w.mask() << shift;
            return new SeqWindow(boot, seq, moved | 1L);
        }
        long back = w.maxSeq() - seq;
        if (back >= WIDTH || (w.mask() & (1L << back)) != 0) {
            return null;
        }
        return new SeqWindow(boot, w.maxSeq(), w.mask() | (1L << back));
    }
}
