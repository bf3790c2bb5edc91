package io.gpumarket.offer.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunk sizes a machine is sold in: the powers of two from its listing's minimum up to its GPU
 * count, plus the whole machine (an 8-GPU machine with minimum 2 offers 2, 4 and 8 GPUs).
 */
public final class Chunks {
    private Chunks() {}

    public static List<Integer> of(int gpuCount, int minGpus) {
        List<Integer> out = new ArrayList<>();
        for (int n = Math.max(1, minGpus); n < gpuCount; n *= 2) {
            out.add(n);
        }
        out.add(gpuCount);
        return out;
    }

    /** True for 1 and the powers of two. */
    public static boolean validMinimum(int minGpus) {
        return minGpus >= 1 && Integer.bitCount(minGpus) == 1;
    }
}
