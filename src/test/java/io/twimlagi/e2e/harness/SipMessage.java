package io.twimlagi.e2e.harness;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One SIP message from a sipp message trace ({@code -trace_msg}). Header names are case-insensitive. */
public final class SipMessage {

    public enum Direction { SENT, RECEIVED }

    private final Direction direction;
    private final LocalDateTime time;
    private final String firstLine;
    private final Map<String, List<String>> headers;
    private final String body;

    SipMessage(Direction direction, LocalDateTime time, String firstLine, Map<String, List<String>> headers, String body) {
        this.direction = direction;
        this.time = time;
        this.firstLine = firstLine;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        this.body = body;
    }

    public Direction direction() { return direction; }

    /** Local wall-clock time sipp logged the message at (microsecond resolution); null if not parsed. */
    public LocalDateTime time() { return time; }

    /** "SIP/2.0 180 Ringing" or "INVITE sip:... SIP/2.0". */
    public String firstLine() { return firstLine; }

    /** First value of each header (case-insensitive names). */
    public Map<String, String> headers() {
        TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> m.put(k, v.get(0)));
        return Collections.unmodifiableMap(m);
    }

    /** First value of a header, or null. */
    public String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** All values of a header in order (a repeated header, e.g. Via). */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    public String body() { return body; }

    public boolean isResponse() { return firstLine.startsWith("SIP/2.0 "); }

    /** Status code of a response, -1 for a request. */
    public int statusCode() {
        if (!isResponse()) return -1;
        String[] p = firstLine.split(" ", 3);
        try {
            return Integer.parseInt(p[1]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Reason phrase of a response ("Busy Here"), "" for a request. */
    public String reason() {
        if (!isResponse()) return "";
        String[] p = firstLine.split(" ", 3);
        return p.length > 2 ? p[2] : "";
    }

    /** Method of a request ("BYE"), or of the CSeq for a response ("INVITE"). */
    public String method() {
        if (!isResponse()) return firstLine.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        String cseq = header("CSeq");
        if (cseq == null) return "";
        String[] p = cseq.trim().split("\\s+");
        return p.length > 1 ? p[1].toUpperCase(Locale.ROOT) : "";
    }

    /** Request-URI of a request, null for a response. */
    public String requestUri() {
        if (isResponse()) return null;
        String[] p = firstLine.split(" ");
        return p.length > 1 ? p[1] : null;
    }

    @Override
    public String toString() {
        return (direction == Direction.SENT ? "--> " : "<-- ") + firstLine;
    }

    /** Parses one message text (first line, headers, blank line, body). */
    static SipMessage parse(Direction direction, LocalDateTime time, String text) {
        String norm = text.replace("\r\n", "\n").replace("\r", "\n");
        int sep = norm.indexOf("\n\n");
        String head = sep >= 0 ? norm.substring(0, sep) : norm;
        String body = sep >= 0 ? norm.substring(sep + 2) : "";
        String[] lines = head.split("\n");
        String first = lines.length > 0 ? lines[0].trim() : "";
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String last = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) { // folded header
                List<String> v = h.get(last);
                v.set(v.size() - 1, v.get(v.size() - 1) + " " + line.trim());
                continue;
            }
            int c = line.indexOf(':');
            if (c <= 0) continue;
            last = line.substring(0, c).trim();
            h.computeIfAbsent(last, k -> new ArrayList<>()).add(line.substring(c + 1).trim());
        }
        return new SipMessage(direction, time, first, h, body.strip().isEmpty() ? "" : body);
    }
}
