package io.twimlagi.config;

import io.twimlagi.config.IniFile.Section;
import io.twimlagi.config.IniFile.Value;

import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.util.AddressList;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed values of a config section (addresses, URLs, paths, numbers, methods, dial strings...), each checked; a bad
 * one is a {@link ConfigException} naming the file, the key's line and what is wrong. An empty or absent value is
 * "not set": the default applies.
 */
class SectionReader {
    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*\\.?");
    /** An Asterisk dial string template: Tech/rest, no characters that split Dial's arguments or targets. */
    private static final Pattern DIAL_TEMPLATE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*/[^\\s,&()|\"\\\\$\\[\\]]+");
    private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

    final Path file;

    SectionReader(Path file) {
        this.file = file;
    }

    ConfigException error(int line, String what) {
        return new ConfigException(file, line, what);
    }

    // ---------------------------------------------------------------- peers and admission

    /** agi_allow, sip_capture_allow: IP addresses and CIDR blocks, at least one. */
    AddressList addresses(Section s, String key, AddressList dflt) throws ConfigException {
        String text = s.get(key);
        if (text == null) return dflt;
        AddressList list;
        try {
            list = AddressList.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(s.lineOf(key), "bad value for '" + key + "': " + e.getMessage());
        }
        if (list.isEmpty()) throw error(s.lineOf(key), "bad value for '" + key + "': no address");
        return list;
    }

    /** status_callback: http(s) only; a callback is a request, never a file read. */
    String callbackUrl(Section s, String key) throws ConfigException {
        String url = url(s, key);
        if (url != null && url.regionMatches(true, 0, "file:", 0, 5)) {
            throw error(s.lineOf(key), "bad value for '" + key + "': '" + url
                    + "' is not an http(s):// URL (callbacks are never files)");
        }
        return url;
    }

    /**
     * dial_sip_auth_options: {@code name=value} pairs separated by spaces (values may hold commas; {@code ;}
     * starts an INI comment), pjsip.conf endpoint option names; no {@code id}, {@code type} or
     * {@code outbound_auth} (the server sets those).
     */
    Map<String, String> endpointOptions(Section s, String key, String def) throws ConfigException {
        String text = s.get(key) == null ? def : s.get(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.strip().split("\\s+")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            String name = eq < 0 ? "" : part.substring(0, eq).strip();
            String value = eq < 0 ? "" : part.substring(eq + 1).strip();
            if (!name.matches("[a-z_0-9]{1,64}") || value.isEmpty() || !value.matches("[\\x21-\\x7e]{1,256}")
                    || Set.of("id", "type", "outbound_auth").contains(name)) {
                throw error(s.lineOf(key), "bad value for '" + key + "': '" + part.strip()
                        + "' (expected option=value option=value ..., pjsip.conf endpoint options other than "
                        + "id, type and outbound_auth)");
            }
            out.put(name, value);
        }
        return out;
    }

    /** status_callback_event: Twilio's event names separated by spaces or commas. */
    Set<String> events(Section s, Set<String> dflt) throws ConfigException {
        String text = s.get("status_callback_event");
        if (text == null) return dflt;
        Set<String> events = new LinkedHashSet<>();
        for (String e : text.toLowerCase(Locale.ROOT).split("[\\s,]+")) {
            if (e.isEmpty()) continue;
            if (!Domain.STATUS_EVENTS.contains(e)) {
                throw error(s.lineOf("status_callback_event"), "bad value for 'status_callback_event': '" + e
                        + "' (expected initiated, ringing, answered and/or completed)");
            }
            events.add(e);
        }
        return events;
    }

    /** dial_number / dial_client: Tech/..., the placeholder exactly once, nothing that breaks Dial's syntax. */
    String dialTemplate(Section s, String key, String placeholder, String dflt) throws ConfigException {
        String text = s.get(key);
        if (text == null) return dflt;
        String problem = dialTemplateProblem(text, placeholder);
        if (problem != null) throw error(s.lineOf(key), "bad value for '" + key + "': '" + text + "' " + problem);
        return text;
    }

    String dialEndpoint(Section s, String dflt) throws ConfigException {
        String text = s.get("dial_sip_endpoint");
        if (text == null) return dflt;
        if (!ENDPOINT_NAME.matcher(text).matches()) {
            throw error(s.lineOf("dial_sip_endpoint"), "bad value for 'dial_sip_endpoint': '" + text
                    + "' is not a PJSIP endpoint name (letters, digits, . _ + -)");
        }
        return text;
    }

    String required(Section s, String key) throws ConfigException {
        Value v = s.values.get(key);
        if (v == null) throw error(s.line, "missing key '" + key + "' in [" + s.name + "]");
        if (v.text().isEmpty()) throw error(v.line(), "bad value for '" + key + "': must not be empty");
        return v.text();
    }

    HttpMethod method(Section s, String key, HttpMethod dflt) throws ConfigException {
        String text = s.get(key);
        if (text == null) return dflt;
        return HttpMethod.parse(text).orElseThrow(() -> error(s.lineOf(key),
                "bad value for '" + key + "': '" + text + "' (expected GET or POST)"));
    }

    int integer(Section s, String key, int dflt, int min, int max) throws ConfigException {
        String text = s.get(key);
        if (text == null) return dflt;
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw error(s.lineOf(key), "bad value for '" + key + "': '" + text + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw error(s.lineOf(key), "bad value for '" + key + "': " + n + " is outside " + min + ".." + max);
        }
        return n;
    }

    Path dir(Section s, String key, Path dflt) throws ConfigException {
        String text = s.get(key);
        if (text == null) return dflt;
        Path p;
        try {
            p = Path.of(text);
        } catch (InvalidPathException e) {
            throw error(s.lineOf(key), "bad value for '" + key + "': invalid path '" + text + "'");
        }
        if (!p.isAbsolute()) {
            throw error(s.lineOf(key), "bad value for '" + key + "': '" + text + "' is not an absolute path");
        }
        return p.normalize();
    }

    /** An absolute path naming a file, not a folder (its folders are created when it is opened). */
    Path file(Section s, String key, Path dflt) throws ConfigException {
        Path p = dir(s, key, dflt);
        if (s.get(key) != null && (s.get(key).endsWith("/") || p.getFileName() == null)) {
            throw error(s.lineOf(key), "bad value for '" + key + "': '" + s.get(key) + "' names a folder, not a file");
        }
        return p;
    }

    /** http(s)://host... (a #fragment of connection overrides is allowed) or file:/abs or file:///abs. */
    String url(Section s, String key) throws ConfigException {
        String text = s.get(key);
        if (text == null) return null;
        String problem = urlProblem(text);
        if (problem != null) {
            throw error(s.lineOf(key), "bad value for '" + key + "': '" + text + "' " + problem);
        }
        return text;
    }

    String publicUrl(String text, int line) throws ConfigException {
        String problem = null;
        try {
            URI u = new URI(text);
            if (!isHttp(u) || u.getHost() == null) problem = "is not an http(s) URL with a host";
            else if (u.getRawQuery() != null || u.getRawFragment() != null) problem = "must not have a query or fragment";
        } catch (URISyntaxException e) {
            problem = "is not a valid URL (" + e.getReason() + ")";
        }
        if (problem != null) throw error(line, "bad value for 'public_url': '" + text + "' " + problem);
        String stripped = text;
        while (stripped.endsWith("/")) stripped = stripped.substring(0, stripped.length() - 1);
        return stripped;
    }

    InetSocketAddress address(Section s, String key, String dflt) throws ConfigException {
        String text = s.get(key);
        int line = s.lineOf(key);
        if (text == null) text = dflt;
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw error(line, "bad value for '" + key + "': '" + text + "' (expected host:port or [v6]:port)");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw error(line, "bad value for '" + key + "': '" + text + "' (expected host:port or [v6]:port)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw error(line, "bad value for '" + key + "': port '" + port + "' is not 1..65535");
        }
        if (host.isEmpty() || (!text.startsWith("[") && !HOST_NAME.matcher(host).matches())) {
            throw error(line, "bad value for '" + key + "': bad host '" + host + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException | SecurityException e) {
            throw error(line, "bad value for '" + key + "': cannot resolve host '" + host + "'");
        }
    }

    /** Null when {@code text} is a usable Dial template with {@code placeholder} exactly once, else the reason. */
    static String dialTemplateProblem(String text, String placeholder) {
        int first = text.indexOf(placeholder);
        if (first < 0) return "must contain " + placeholder;
        if (text.indexOf(placeholder, first + 1) >= 0) return "must contain " + placeholder + " only once";
        if (!DIAL_TEMPLATE.matcher(text).matches()) {
            return "is not an Asterisk dial string such as PJSIP/" + placeholder
                    + "@trunk (Tech/..., no spaces, commas, ampersands, parentheses, bars, quotes, $ or brackets)";
        }
        if (text.replace(placeholder, "").contains("{")) return "has an unknown {placeholder}";
        return null;
    }

    /** Null when {@code text} is an accepted webhook URL, else the reason (used for the error message). */
    static String urlProblem(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            return "is not a valid URL (" + e.getReason() + ")";
        }
        if (isHttp(u)) {
            return u.getHost() == null ? "has no valid host" : null;
        }
        if ("file".equalsIgnoreCase(u.getScheme())) {
            if (u.isOpaque() || u.getPath() == null || !u.getPath().startsWith("/")) {
                return "is not file:/absolute/path or file:///absolute/path";
            }
            if (u.getRawAuthority() != null && !u.getRawAuthority().isEmpty()) {
                return "must not name a host (use file:///absolute/path)";
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null) return "must not have a query or fragment";
            return null;
        }
        return "is not an http(s):// or file: URL";
    }

    /** An IPv6 address literal such as ::1 (no brackets, no zone), checked without any DNS lookup. */
    static boolean isIpv6Literal(String host) {
        if (!host.matches("[0-9A-Fa-f:.]+") || host.indexOf(':') < 0) return false;
        try {
            return InetAddress.getByName(host) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isHttp(URI u) {
        return "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme());
    }

    static String hostForUrl(InetSocketAddress a) {
        InetAddress addr = a.getAddress();
        if (addr.isAnyLocalAddress()) return addr instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        String h = addr.getHostAddress();
        return addr instanceof Inet6Address ? "[" + h.replaceFirst("%.*$", "") + "]" : h;
    }
}
