package io.gpumarket.offer.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fields the search language knows, with Vast's names and aliases. A number is compared as
 * an exact integer at the field's scale (dph in micro-dollars, reliability in millionths, DLPerf
 * in hundredths), so no binary fraction is ever near a price; text compares case-insensitively;
 * versions compare part by part ({@code 12.10 > 12.9}). A missing value (a GPU model without a
 * DLPerf estimate, a machine that reported no driver) matches no filter.
 */
public enum Field {
    GPU_NAME("gpu_name", Kind.TEXT, 0),
    NUM_GPUS("num_gpus", Kind.NUMBER, 0),
    GPU_RAM("gpu_ram", Kind.NUMBER, 0),
    GPU_TOTAL_RAM("gpu_total_ram", Kind.NUMBER, 0),
    CPU_CORES("cpu_cores", Kind.NUMBER, 0),
    CPU_RAM("cpu_ram", Kind.NUMBER, 0),
    DISK_SPACE("disk_space", Kind.NUMBER, 0),
    DPH("dph", Kind.NUMBER, 6),
    RELIABILITY("reliability", Kind.NUMBER, 6),
    DLPERF("dlperf", Kind.NUMBER, 2),
    DLPERF_USD("dlperf_usd", Kind.NUMBER, 2),
    SCORE("score", Kind.NUMBER, 2),
    REGION("region", Kind.TEXT, 0),
    INET_UP("inet_up", Kind.NUMBER, 0),
    INET_DOWN("inet_down", Kind.NUMBER, 0),
    DURATION("duration", Kind.NUMBER, 2),
    MIN_BID("min_bid", Kind.NUMBER, 6),
    VERIFIED("verified", Kind.BOOL, 0),
    MACHINE_ID("machine_id", Kind.TEXT, 0),
    HOST_ID("host_id", Kind.TEXT, 0),
    CUDA_VERS("cuda_vers", Kind.VERSION, 0),
    DRIVER_VERSION("driver_version", Kind.VERSION, 0);

    public enum Kind { NUMBER, TEXT, BOOL, VERSION }

    private static final Map<String, Field> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, Field> ALIASES = Map.of("dph_total", DPH, "geolocation", REGION,
            "dlperf_per_dphtotal", DLPERF_USD, "cuda_max_good", CUDA_VERS, "reliability2", RELIABILITY);

    static {
        for (Field f : values()) {
            BY_NAME.put(f.wire, f);
        }
    }

    private final String wire;
    private final Kind kind;
    private final int scale;

    Field(String wire, Kind kind, int scale) {
        this.wire = wire;
        this.kind = kind;
        this.scale = scale;
    }

    public String wire() {
        return wire;
    }

    public Kind kind() {
        return kind;
    }

    /** Decimal places of the integer this field compares as. */
    public int scale() {
        return scale;
    }

    public static Optional<Field> named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(BY_NAME.getOrDefault(n, ALIASES.get(n)));
    }

    /** Every name the language accepts: the fields, then the aliases. */
    public static List<String> names() {
        var all = new java.util.ArrayList<>(BY_NAME.keySet());
        all.addAll(ALIASES.keySet().stream().sorted().toList());
        return all;
    }

    /** The value of a number field, or {@link Offer#MISSING} when the offer has none. */
    long number(Offer o) {
        MarketMachine m = o.machine();
        return switch (this) {
            case NUM_GPUS -> o.numGpus();
            case GPU_RAM -> m.gpuRamGb();
            case GPU_TOTAL_RAM -> (long) m.gpuRamGb() * o.numGpus();
            case CPU_CORES -> o.cpuCores();
            case CPU_RAM -> o.ramGb();
            case DISK_SPACE -> m.diskGb();
            case DPH -> o.totalPerHourMicros();
            case RELIABILITY -> m.reliabilityPpm();
            case DLPERF -> o.dlperfOrMissing();
            case DLPERF_USD -> o.dlperfPerDollarOrMissing();
            case SCORE -> o.score();
            case INET_UP -> m.inetUpMbps();
            case INET_DOWN -> m.inetDownMbps();
            case DURATION -> o.durationCentiDays();
            case MIN_BID -> o.minBidPerHourMicros();
            default -> throw new IllegalStateException(wire + " is not a number");
        };
    }

    /** The value of a text field as stored (compare ignoring case). */
    String text(Offer o) {
        MarketMachine m = o.machine();
        return switch (this) {
            case GPU_NAME -> m.gpuModel();
            case REGION -> m.region();
            case MACHINE_ID -> m.id();
            case HOST_ID -> m.hostAccountId();
            default -> throw new IllegalStateException(wire + " is not text");
        };
    }

    /** The interned key of a text field that has one (GPU model, region), else null. */
    String key(Offer o) {
        return switch (this) {
            case GPU_NAME -> o.machine().gpuModelKey();
            case REGION -> o.machine().regionKey();
            default -> null;
        };
    }

    /** Whether the value depends on the chunk's size but not on its price, so it is tested before pricing. */
    boolean perSize() {
        return this == NUM_GPUS || this == GPU_TOTAL_RAM || this == CPU_CORES || this == CPU_RAM;
    }

    /** Whether the value is the machine's alone (not the chunk's or the price's), so one test serves all its chunks. */
    boolean perMachine() {
        return switch (this) {
            case NUM_GPUS, GPU_TOTAL_RAM, CPU_CORES, CPU_RAM, DPH, DLPERF, DLPERF_USD, SCORE, MIN_BID -> false;
            default -> true;
        };
    }

    boolean bool(Offer o) {
        if (this != VERIFIED) {
            throw new IllegalStateException(wire + " is not a boolean");
        }
        return "verified".equals(o.machine().verification());
    }

    /** The parts of a version field, or null when the offer has none. */
    int[] version(Offer o) {
        String v = switch (this) {
            case CUDA_VERS -> o.machine().cudaVersion();
            case DRIVER_VERSION -> o.machine().driverVersion();
            default -> throw new IllegalStateException(wire + " is not a version");
        };
        return v == null ? null : parseVersion(v);
    }

    /** {@code 535.104.05} as {535, 104, 5}; null unless it is numbers separated by dots. */
    static int[] parseVersion(String v) {
        String t = v.trim();
        if (t.isEmpty() || t.length() > 40 || t.startsWith(".") || t.endsWith(".") || t.contains("..")) {
            return null;
        }
        int[] out = new int[(int) t.chars().filter(ch -> ch == '.').count() + 1];
        int part = 0;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch == '.') {
                part++;
            } else if (ch >= '0' && ch <= '9' && out[part] < 100_000_000) {
                out[part] = out[part] * 10 + (ch - '0');
            } else {
                return null;
            }
        }
        return out;
    }

    static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int c = Integer.compare(i < a.length ? a[i] : 0, i < b.length ? b[i] : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Whether the offer has no value for this field. */
    boolean missing(Offer o) {
        return switch (kind) {
            case NUMBER -> number(o) == Offer.MISSING;
            case VERSION -> version(o) == null;
            default -> false;
        };
    }

    /** Orders two offers that both have a value for this field. */
    int compare(Offer a, Offer b) {
        return switch (kind) {
            case NUMBER -> Long.compare(number(a), number(b));
            case TEXT -> text(a).compareToIgnoreCase(text(b));
            case BOOL -> Boolean.compare(bool(a), bool(b));
            case VERSION -> compareVersions(version(a), version(b));
        };
    }
}
