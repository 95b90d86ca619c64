package io.twimlagi.twiml;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Random TwiML documents that parse (mostly: a few are fatal on purpose) and run, built to attack the AGI commands
 * the executors build: every executed verb — Say (with SSML), Play (audio and digits), Pause, Gather (nested
 * Say/Play/Pause), Record, Dial with Number/Sip (URI headers, {@code <Headers>}, credentials)/Client/Conference,
 * Refer, Redirect, Reject, Hangup — with attribute values and texts full of quotes, commas, pipes, parentheses,
 * brackets, backslashes, {@code ${...}}, {@code $[...]}, {@code &}, CR/LF/tab and other control characters
 * (character references, in XML 1.1 documents where they are legal), NUL (a fatal reference), unicode and very
 * long values. Unlike {@link TwimlFuzzer} (the parser's fuzzer) the documents are well-formed and mostly valid,
 * so the hostile text reaches the executors. URLs point back at the test's app: documents under {@code /doc/},
 * audio under {@code /audio/}, callbacks under {@code /cb/} (so a test can answer each); a generated URL never
 * names another host. Deterministic for a given {@link Random}.
 */
public final class HostileTwiml {
    /** Pieces of text that mean something to AGI, Asterisk's argument parser, the dialplan, SIP or XML. */
    private static final String[] PIECES = {"\"", "'", ",", "|", "(", ")", "[", "]", "\\", "\\\\", "\\,", "${EXTEN}",
            "${SHELL(id)}", "$[1+1]", "$", "${", "}", "{", "&", ";", "^", "=", "<", ">", "\n", "\r", "\t", "\r\n",
            "\u0000", "\u0001", "\u001b", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029", "\u00e9", "\u4e2d\u6587",
            "\ud83d\ude00", "\u202e", "\u200b", "e\u0301", "\ufeff", "EXEC System(id)", "\nEXEC System(id)\n",
            "\"\nHANGUP\n\"", "%0A", "%00", "%22", "%2C", "%24%7B", " ", "  ", "@", ":", "?", "#", "*", "%"};
    /** What Asterisk's argument parser and dialplan expressions react to. */
    private static final String[] DIALPLAN = {"${SHELL(id)}", "$[1+1]", "${EXTEN}", ",", "|", "\"", "\\", "(", ")",
            "[", "]", "\\,", "\\\"", "a,b|c", "x)\"(y", "${CUT(a,b,1)}", "$"};
    private static final String[] WORDS = {"hello", "world", "123", "+15551234567", "alice", "bob", "sip", "a", "x",
            "caf\u00e9", "twilio", "Dial", "Hangup"};
    /** URLs that cannot be fetched and name no other host: other schemes, no host at all, a refused port. */
    private static final String[] NOWHERE = {"file:///etc/passwd", "javascript:alert(1)", "sip:bob@example.com", "",
            " ", "%", "?", "#frag", "data:audio/wav;base64,UklGRg==", "http://127.0.0.1:1/refused", "http://",
            "https://", "http:///x", "http://[::1", "http://:80/", "HTTP://", "ftp:"};
    private static final String[] RING_TONES = {"us", "uk", "de", "fr", "us-old", "jp", "xx", "US", "u s"};

    private final Random rnd;
    private final String base;
    private boolean xml11;

    /** @param base the test app's URL, e.g. {@code http://127.0.0.1:8080} (no trailing slash) */
    public HostileTwiml(Random rnd, String base) {
        this.rnd = rnd;
        this.base = base;
    }

    /** One document, UTF-8. */
    public byte[] document() {
        xml11 = rnd.nextInt(3) > 0; // XML 1.1: control characters are legal as character references
        StringBuilder sb = new StringBuilder("<?xml version=\"").append(xml11 ? "1.1" : "1.0")
                .append("\" encoding=\"UTF-8\"?><Response>");
        int verbs = 1 + rnd.nextInt(4);
        for (int i = 0; i < verbs; i++) verb(sb);
        if (rnd.nextInt(60) == 0) sb.append("<Say>&#0;</Say>"); // NUL: no XML allows it, the document is fatal
        sb.append("</Response>");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void verb(StringBuilder sb) {
        switch (rnd.nextInt(24)) {
            case 0, 1, 2 -> say(sb);
            case 3, 4 -> play(sb);
            case 5 -> pause(sb);
            case 6, 7, 8 -> gather(sb);
            case 9, 10 -> record(sb);
            case 11, 12, 13, 14, 15 -> dial(sb);
            case 16, 17 -> refer(sb);
            case 18 -> element(sb, "Redirect", new String[] {"method", method()}, url("/doc/"));
            case 19 -> element(sb, "Reject", new String[] {"reason", pick("busy", "rejected", "BUSY", hostile(2))}, null);
            case 20 -> element(sb, "Hangup", new String[0], null);
            default -> sb.append(pick("<Say>", "<Say loop=\"2\">")).append(text(hostile(6))).append("</Say>");
        }
    }

    private void say(StringBuilder sb) {
        sb.append("<Say").append(attr("voice", maybe(pick("man", "woman", "alice", "Polly.Joanna", "Polly.x\"y"))))
                .append(attr("language", maybe(pick("en-US", "fr-FR", "de-DE", hostile(1)))))
                .append(attr("loop", maybe(pick("1", "2", "3", rnd.nextInt(20) == 0 ? "0" : "1", hostile(1)))))
                .append('>');
        int parts = 1 + rnd.nextInt(3);
        for (int i = 0; i < parts; i++) {
            switch (rnd.nextInt(8)) {
                case 0 -> sb.append("<break").append(attr("time", pick("500ms", "1s", "0ms", "2.5s", hostile(1))))
                        .append(attr("strength", maybe(pick("weak", "x-strong", hostile(1))))).append("/>");
                case 1 -> sb.append("<emphasis>").append(text(hostile(4))).append("</emphasis>");
                case 2 -> sb.append("<say-as").append(attr("interpret-as", pick("digits", "date", hostile(1))))
                        .append('>').append(text(hostile(3))).append("</say-as>");
                case 3 -> sb.append("<sub").append(attr("alias", hostile(3))).append('>').append(text(hostile(2)))
                        .append("</sub>");
                case 4 -> sb.append("<prosody").append(attr("rate", pick("slow", "150%", hostile(1)))).append('>')
                        .append(text(hostile(3))).append("</prosody>");
                default -> sb.append(text(rnd.nextInt(30) == 0 ? longValue() : hostile(8)));
            }
        }
        sb.append("</Say>");
    }

    private void play(StringBuilder sb) {
        if (rnd.nextInt(3) == 0) {
            String digits = pick("1234", "ww12#*", "wWA-D", "0", "1w2w3", hostile(1), "9".repeat(1 + rnd.nextInt(300)));
            element(sb, "Play", new String[] {"digits", digits, "loop", maybe("2")}, null);
        } else {
            element(sb, "Play", new String[] {"loop", maybe(pick("1", "2", rnd.nextInt(30) == 0 ? "0" : "3"))},
                    url(rnd.nextInt(4) == 0 ? "/doc/" : "/audio/"));
        }
    }

    private void pause(StringBuilder sb) {
        element(sb, "Pause", new String[] {"length", maybe(pick("0", "1", "5", "600", "-1", "999999", hostile(1)))},
                null);
    }

    private void gather(StringBuilder sb) {
        sb.append("<Gather").append(attr("action", maybe(url("/doc/")))).append(attr("method", maybe(method())))
                .append(attr("timeout", maybe(number()))).append(attr("finishOnKey", maybe(keys())))
                .append(attr("numDigits", maybe(number()))).append(attr("input", maybe(pick("dtmf", "speech dtmf"))))
                .append(attr("actionOnEmptyResult", maybe(pick("true", "false")))).append('>');
        int prompts = rnd.nextInt(4);
        for (int i = 0; i < prompts; i++) {
            switch (rnd.nextInt(3)) {
                case 0 -> say(sb);
                case 1 -> play(sb);
                default -> pause(sb);
            }
        }
        sb.append("</Gather>");
    }

    private void record(StringBuilder sb) {
        element(sb, "Record", new String[] {"action", maybe(url("/doc/")), "method", maybe(method()),
                "timeout", maybe(number()), "maxLength", maybe(number()), "finishOnKey", maybe(keys()),
                "playBeep", maybe(pick("true", "false")), "trim", maybe(pick("trim-silence", "do-not-trim")),
                "recordingStatusCallback", maybe(url("/cb/")), "recordingStatusCallbackMethod", maybe(method()),
                "recordingStatusCallbackEvent", maybe(pick("completed", "in-progress completed", hostile(1))),
                "transcribe", maybe(pick("true", "false"))}, null);
    }

    private void dial(StringBuilder sb) {
        sb.append("<Dial").append(attr("action", maybe(url("/doc/")))).append(attr("method", maybe(method())))
                .append(attr("timeout", maybe(number()))).append(attr("timeLimit", maybe(number())))
                .append(attr("callerId", maybe(pick("+15551234567", "client:alice", "alice", "a_b.c-d", hostile(2),
                        "1".repeat(65)))))
                .append(attr("hangupOnStar", maybe(pick("true", "false"))))
                .append(attr("record", maybe(pick("do-not-record", "record-from-answer", "record-from-ringing",
                        "record-from-answer-dual", "record-from-ringing-dual", "true"))))
                .append(attr("answerOnBridge", maybe(pick("true", "false"))))
                .append(attr("ringTone", maybe(pick(RING_TONES)))).append(attr("sequential", maybe("true")))
                .append(attr("recordingStatusCallback", maybe(url("/cb/")))).append('>');
        if (rnd.nextInt(8) == 0) {
            sb.append(text(pick("+1 (555) 123-4567", "5551234", hostile(2)))); // a plain number
        } else if (rnd.nextInt(6) == 0) {
            conference(sb);
        } else if (rnd.nextInt(40) == 0) {
            longest(sb);
        } else {
            int nouns = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 10 : 3);
            for (int i = 0; i < nouns; i++) {
                switch (rnd.nextInt(4)) {
                    case 0 -> element(sb, "Number", nounAttributes("sendDigits", maybe(pick("1234", "ww#", hostile(1)))),
                            pick("+15551234567", "+1 (555) 123-4567", "*67#", "a".repeat(64), hostile(2)));
                    case 1, 2 -> sip(sb, "Dial");
                    default -> client(sb);
                }
            }
        }
        sb.append("</Dial>");
    }

    /** The most a Dial may carry: ten URIs at the length limit that escaping doubles, the longest header values. */
    private void longest(StringBuilder sb) {
        for (int i = 0; i < 10; i++) {
            sb.append("<Sip>sip:").append(pick("[", "]", "x").repeat(250)).append("<Headers><Header name=\"X-L")
                    .append(i).append("\" value=\"").append(xml(pick("\\", "\"", "\u00e9").repeat(1023), true))
                    .append("\"/></Headers></Sip>");
        }
    }

    private String[] nounAttributes(String name, String value) {
        return new String[] {name, value, "url", rnd.nextInt(3) == 0 ? url("/doc/") : null, "method", maybe(method()),
                "statusCallback", maybe(url("/cb/")),
                "statusCallbackEvent", maybe(pick("initiated ringing answered completed", "ringing", hostile(1)))};
    }

    private void sip(StringBuilder sb, String parent) {
        boolean auth = parent.equals("Dial") && rnd.nextInt(4) == 0;
        sb.append("<Sip");
        if (parent.equals("Dial")) {
            String[] a = nounAttributes("username", auth ? pick("alice", hostile(2)) : null);
            for (int i = 0; i < a.length; i += 2) sb.append(attr(a[i], a[i + 1]));
            if (auth) sb.append(attr("password", pick("secret", hostile(3))));
        }
        sb.append('>').append(text(sipUri()));
        if (parent.equals("Dial") && rnd.nextInt(3) == 0) {
            sb.append("<Headers>");
            int n = 1 + rnd.nextInt(rnd.nextInt(5) == 0 ? 20 : 3);
            for (int i = 0; i < n; i++) {
                sb.append("<Header").append(attr("name", pick("X-A", "X-Custom-" + i, "User-to-User", "X-Twilio-x",
                        "Via", "X-Bad)}${SHELL(id)}", "X-" + hostile(1)))).append(attr("value",
                        rnd.nextInt(10) == 0 ? longValue() : rnd.nextBoolean() ? printable(6) : hostile(4)))
                        .append("/>");
            }
            sb.append("</Headers>");
        }
        sb.append("</Sip>");
    }

    /**
     * A SIP URI: mostly one our checks accept, with every character they allow in the user and parameters and
     * percent-encoded hostile text in its URI headers; otherwise hostile throughout.
     */
    private String sipUri() {
        if (rnd.nextInt(3) > 0) {
            StringBuilder u = new StringBuilder(pick("sip:", "sips:", "SIP:"));
            u.append(pick("bob", "+15551234567", "a'b", "[x]", "x*y!z~w", "%41lice", "a=b;c", "[".repeat(120),
                    "x".repeat(1 + rnd.nextInt(200))));
            u.append(pick("@example.com", "@10.0.0.1:5060", "@[::1]", "@h;transport=tcp", "@h;x=y=z", "@h;lr"));
            if (rnd.nextInt(3) > 0) {
                u.append('?');
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    if (i > 0) u.append('&');
                    u.append(pick("X-A", "X-B", "User-to-User", "X-Custom-" + i)).append('=')
                            .append(percent(rnd.nextBoolean() ? printable(4) : hostile(3)));
                }
            }
            return u.toString();
        }
        StringBuilder u = new StringBuilder(pick("sip:", "sips:", "SIP:", "sip:", "tel:", ""));
        u.append(pick("bob", "+15551234567", "a$b", "a,b", "a(b)", "[x]", "a&b", "\u00e9", "[".repeat(200),
                "x".repeat(rnd.nextInt(300)), hostile(1)));
        u.append(pick("@example.com", "@10.0.0.1:5060", "@[::1]", "@h;transport=tcp", "@", "@h;x=${y}", ""));
        if (rnd.nextBoolean()) {
            u.append('?');
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                if (i > 0) u.append('&');
                u.append(pick("X-A", "X-B", "User-to-User", "X-Twilio-Bad", "Route", "X-" + hostile(1)))
                        .append('=').append(rnd.nextBoolean() ? percent(hostile(3)) : hostile(1));
            }
        }
        return u.toString();
    }

    private void client(StringBuilder sb) {
        String[] a = nounAttributes("clientNotificationUrl", null);
        if (rnd.nextBoolean()) {
            element(sb, "Client", a, pick("alice", "client:bob", "a.b-c_d", "a!b%c*d+e`f'g~h", hostile(2),
                    "z".repeat(257)));
        } else {
            sb.append("<Client>");
            sb.append("<Identity>").append(text(pick("alice", hostile(2)))).append("</Identity>");
            sb.append("<Parameter").append(attr("name", hostile(1))).append(attr("value", hostile(3))).append("/>");
            sb.append("</Client>");
        }
    }

    private void conference(StringBuilder sb) {
        element(sb, "Conference", new String[] {"muted", maybe(pick("true", "false")),
                "beep", maybe(pick("true", "false", "onEnter", "onExit")),
                "startConferenceOnEnter", maybe(pick("true", "false")), "endConferenceOnExit", maybe("true"),
                "waitUrl", rnd.nextInt(3) == 0 ? pick("", url("/doc/")) : null, "waitMethod", maybe(method()),
                "maxParticipants", maybe(number()), "record", maybe(pick("record-from-start", "do-not-record")),
                "statusCallback", maybe(url("/cb/")), "statusCallbackEvent", maybe(pick("start end join leave")),
                "recordingStatusCallback", maybe(url("/cb/"))},
                pick("Room 1", "a,b|c", "${SHELL(id)}", "$[1+1]", "..", "", hostile(4), longValue()));
    }

    private void refer(StringBuilder sb) {
        sb.append("<Refer").append(attr("action", maybe(url("/doc/")))).append(attr("method", maybe(method())))
                .append('>');
        if (rnd.nextInt(10) > 0) sip(sb, "Refer");
        sb.append("</Refer>");
    }

    /** {@code <name a="v"...>text</name>}, or self-closing without text; null attribute values are left out. */
    private void element(StringBuilder sb, String name, String[] attributes, String content) {
        sb.append('<').append(name);
        for (int i = 0; i < attributes.length; i += 2) sb.append(attr(attributes[i], attributes[i + 1]));
        if (content == null) sb.append("/>");
        else sb.append('>').append(text(content)).append("</").append(name).append('>');
    }

    /** A URL into the test app under {@code kind} ({@code /doc/}, {@code /audio/}, {@code /cb/}), hostile in parts. */
    private String url(String kind) {
        String u = switch (rnd.nextInt(8)) {
            case 0 -> base + kind + hostile(2);
            case 1 -> base + kind + "x?q=" + (rnd.nextBoolean() ? printable(4) : hostile(3)) + "&r="
                    + percent(hostile(2));
            case 2 -> kind + hostile(1) + "?" + hostile(2);
            case 3 -> kind.substring(1) + "rel" + hostile(1); // relative to the document
            case 4 -> pick(NOWHERE);
            case 5 -> base + kind + longValue().replace('"', 'q');
            default -> base + kind + pick("a", "b.wav", "c.mp3", "d?x=1", "e;x=${y}", "f,g|h");
        };
        return local(u);
    }

    /** Never another host: a URL that could name one (a scheme with //, http: without it, \\) is made relative. */
    private String local(String u) {
        String t = u.strip().toLowerCase(java.util.Locale.ROOT);
        boolean ours = t.startsWith(base.toLowerCase(java.util.Locale.ROOT) + "/");
        boolean other = t.matches("(?s)^([a-z][a-z0-9+.-]*:)?[/\\\\]{2}.*") || t.matches("(?s)^(https?|wss?|ftp):.*");
        return other && !ours && !java.util.Arrays.asList(NOWHERE).contains(u) ? "x" + u : u;
    }

    /** 1..n pieces and words: mostly hostile, sometimes plain. */
    private String hostile(int n) {
        StringBuilder s = new StringBuilder();
        int k = 1 + rnd.nextInt(n);
        for (int i = 0; i < k; i++) {
            int r = rnd.nextInt(10);
            if (r < 5) s.append(pick(PIECES));
            else if (r < 7) s.append(pick(TwimlFuzzer.NASTY));
            else if (r == 7) s.append((char) rnd.nextInt(0x20));
            else s.append(pick(WORDS));
        }
        return s.toString();
    }

    /**
     * Like {@link #hostile} without control characters (text a SIP header value may carry), and richer in what
     * means something to Asterisk: separators, quotes, backslashes, {@code ${...}} and {@code $[...]}.
     */
    private String printable(int n) {
        StringBuilder s = new StringBuilder();
        int k = 1 + rnd.nextInt(n);
        for (int i = 0; i < k; i++) {
            s.append(rnd.nextBoolean() ? pick(DIALPLAN) : hostile(1));
        }
        return s.toString().replaceAll("[\\p{Cntrl}\u2028\u2029]", "");
    }

    private String longValue() {
        int n = pick(300, 1024, 4096, 5000, 8000, 20000);
        String unit = pick("a", "\\", "${x}", ",|", "\"'", "(", "\u00e9", "\ud83d\ude00", "%", "\u0001");
        return unit.repeat(n / unit.length() + 1).substring(0, n);
    }

    private String number() {
        return pick("0", "1", "2", "5", "30", "600", "-1", "abc", "", "2147483648", "14400", hostile(1));
    }

    private String keys() {
        return pick("#", "*", "", "1234567890*#", "#*", "12", hostile(1));
    }

    private String method() {
        return pick("GET", "POST", "get", "PUT", hostile(1));
    }

    /** {@code s} percent-encoded byte by byte (UTF-8), as a URI header value would carry it. */
    private static String percent(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80) b.append((char) c);
            else b.append('%').append(String.format("%02X", c));
        }
        return b.toString();
    }

    private String maybe(String value) {
        return rnd.nextInt(3) == 0 ? value : null;
    }

    private String attr(String name, String value) {
        return value == null ? "" : " " + name + "=\"" + xml(value, true) + "\"";
    }

    private String text(String s) {
        return xml(s, false);
    }

    /**
     * XML-escapes {@code s}. Tab, CR and LF in attributes and every other control character become character
     * references (CR and LF in text too, half of the time); in an XML 1.0 document a control character other than
     * those is illegal even as a reference, so it becomes a space, except now and then (a fatal document).
     */
    private String xml(String s, boolean attribute) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\t', '\n', '\r' -> b.append(attribute || rnd.nextBoolean() ? "&#" + (int) c + ";" : c);
                default -> {
                    boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
                    if (!control || (!xml11 && c >= 0x7f && c <= 0x9f)) {
                        b.append(c); // C1 characters are legal raw in XML 1.0
                    } else if (c == 0 || c < 0x20 && !xml11) {
                        b.append(rnd.nextInt(40) == 0 ? "&#" + (int) c + ";" : " ");
                    } else {
                        b.append("&#x").append(Integer.toHexString(c)).append(';');
                    }
                }
            }
        }
        return b.toString();
    }

    private String pick(String... xs) {
        return xs[rnd.nextInt(xs.length)];
    }

    private int pick(int... xs) {
        return xs[rnd.nextInt(xs.length)];
    }
}
