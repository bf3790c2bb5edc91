package io.gpumarket.testsupport;

import java.util.ArrayList;
import java.util.List;

/** The event types of a sealed hierarchy, for tests that check a processor handles every type. */
public final class EventTypes {
    private EventTypes() {}

    /** The concrete record types below a sealed interface. */
    public static List<Class<?>> concrete(Class<?> sealed) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isSealed()) {
                out.addAll(concrete(sub));
            } else {
                out.add(sub);
            }
        }
        return out;
    }
}
