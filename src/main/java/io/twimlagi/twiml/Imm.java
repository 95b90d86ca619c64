package io.twimlagi.twiml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Immutable copies that keep insertion order (Map.copyOf/Set.copyOf do not). */
final class Imm {
    private Imm() {}

    static Map<String, String> map(Map<String, String> m) {
        return m == null || m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    static <T> Set<T> set(Set<T> s) {
        return s == null || s.isEmpty() ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(s));
    }
}
