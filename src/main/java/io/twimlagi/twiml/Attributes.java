package io.twimlagi.twiml;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The attributes of one element, read with Twilio's defaults: an invalid value is a warning (the given code) and
 * falls back to the default. Constructing it warns (12200) about attributes the element does not know.
 */
final class Attributes {
    private final XmlNode.Element e;
    private final Problems problems;

    Attributes(XmlNode.Element e, Problems problems, String... known) {
        this.e = e;
        this.problems = problems;
        Set<String> k = new HashSet<>(List.of(known));
        for (String n : e.attrs.keySet()) {
            if (!k.contains(n) && !n.startsWith("xmlns")) {
                problems.warn(e.line, TwimlParser.W_SCHEMA,
                        "unknown attribute " + n + " on <" + e.name + "> (ignored)");
            }
        }
    }

    /** The value trimmed; null when absent. */
    String s(String n) {
        String v = e.attrs.get(n);
        return v == null ? null : v.trim();
    }

    /** The value trimmed; {@code def} when absent or empty. */
    String s(String n, String def) {
        String v = s(n);
        return v == null || v.isEmpty() ? def : v;
    }

    /** Warns that {@code n="v"} is invalid with {@code code}, naming the default used instead. */
    void bad(String n, String v, int code, Object def) {
        problems.warn(e.line, code, "invalid " + n + " \"" + v + "\" on <" + e.name + ">; using "
                + (def == null ? "none" : def));
    }

    /** GET or POST, case-insensitively; POST when absent or invalid. */
    HttpMethod method(String n, int code) {
        String v = s(n);
        if (v == null) return HttpMethod.POST;
        var m = HttpMethod.parse(v);
        if (m.isEmpty()) bad(n, v, code, HttpMethod.POST);
        return m.orElse(HttpMethod.POST);
    }

    /** An integer in [min, max] (a leading {@code +} allowed); {@code def} when absent or invalid. */
    int integer(String n, int def, int min, int max, int code) {
        Integer v = optInt(n, min, max, code, def);
        return v == null ? def : v;
    }

    /** An integer in [min, max]; null when absent or invalid. */
    Integer optInt(String n, int min, int max, int code) {
        return optInt(n, min, max, code, null);
    }

    private Integer optInt(String n, int min, int max, int code, Integer def) {
        String v = s(n);
        if (v == null) return def;
        try {
            long l = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
            if (l >= min && l <= max) return (int) l;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        bad(n, v, code, def);
        return def;
    }

    /** {@code true}/{@code false}, case-insensitively; {@code def} when absent or invalid. */
    boolean bool(String n, boolean def, int code) {
        String v = s(n);
        if (v == null) return def;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        bad(n, v, code, def);
        return def;
    }

    /** One of {@code allowed} (case-insensitively, returned as spelled there); {@code def} when absent or invalid. */
    String oneOf(String n, String def, int code, String... allowed) {
        String v = s(n);
        if (v == null) return def;
        for (String x : allowed) if (x.equalsIgnoreCase(v)) return x;
        bad(n, v, code, def);
        return def;
    }

    /** The constant spelled so (case-insensitively); {@code def} when absent or invalid. */
    <E extends Enum<E> & TwimlValue> E choice(String n, E def, int code) {
        String v = s(n);
        if (v == null) return def;
        for (E x : def.getDeclaringClass().getEnumConstants()) if (x.value().equalsIgnoreCase(v)) return x;
        bad(n, v, code, def);
        return def;
    }

    /** Space- or comma-separated {@code allowed} events (others warned and dropped); {@code def} when none. */
    Set<String> events(String n, Set<String> def, String... allowed) {
        String v = s(n);
        if (v == null) return def;
        Set<String> ok = Set.of(allowed);
        Set<String> out = new LinkedHashSet<>();
        for (String tok : v.split("[\\s,]+")) {
            if (tok.isEmpty()) continue;
            if (ok.contains(tok)) out.add(tok);
            else problems.warn(e.line, TwimlParser.W_SCHEMA, "invalid " + n + " value \"" + tok + "\" on <" + e.name
                    + ">; ignored");
        }
        return out.isEmpty() ? def : out;
    }
}
