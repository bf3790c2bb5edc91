package io.gpumarket.testsupport;

import io.gpumarket.events.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The event types of a sealed hierarchy, and blank instances of them, for tests that check a
 * processor handles every type (its {@code isInput} looks only at the type).
 */
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

    /** An instance with zero, false and null components. */
    public static Event blank(Class<?> type) {
        try {
            var ctor = type.getDeclaredConstructors()[0];
            Object[] args = new Object[ctor.getParameterCount()];
            Class<?>[] params = ctor.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                args[i] = params[i] == long.class ? 0L : params[i] == int.class ? 0 : params[i] == boolean.class ? false
                        : null;
            }
            return (Event) ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
