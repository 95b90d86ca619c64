package io.twimlagi.twiml;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Secure TwiML parser: bytes → immutable typed {@link Document}.
 *
 * <h2>Security and limits</h2>
 * <ul>
 *   <li>The JDK's own StAX implementation is used ({@link XMLInputFactory#newDefaultFactory()}) with DTD support and
 *       external entities disabled, a resolver that refuses everything and {@code accessExternalDTD=""}. Any
 *       {@code <!DOCTYPE>} is a fatal 12100 error and is never resolved; any entity other than the five predefined
 *       ones and character references is a fatal 12100 error (there is no way to declare one).</li>
 *   <li>Body over {@value #MAX_BODY_BYTES} bytes → fatal 11750. Element nesting deeper than {@value #MAX_DEPTH} →
 *       fatal 12100.</li>
 *   <li>Not well-formed → fatal 12100 with the line the XML parser reports; root other than {@code <Response>} →
 *       fatal 12102. Element and attribute names are case-sensitive ({@code <say>} is an unknown element).</li>
 *   <li><b>Leading whitespace before {@code <?xml ...?>}</b>: Twilio rejects it with 12100. We are <b>lenient</b>:
 *       the whitespace is skipped and the document runs, but a <i>non-fatal</i> problem with code 12100 is reported
 *       (so {@code lint} shows it, without failing).</li>
 * </ul>
 *
 * <h2>Warnings (the document still runs)</h2>
 * 12200 for unknown elements (skipped), unknown attributes (ignored), elements where Twilio does not allow them
 * (skipped; 13320 inside Gather, 13215 inside Dial) and stray text. Invalid attribute values get Twilio's
 * verb-specific code where one exists (13510/13511 Say loop/voice, 13321/13322 inside Gather, 13410 Play loop,
 * 13910 Pause length, 13310 Gather finishOnKey, 13312 method, 13313 timeout, 13314 numDigits, 13327 speechTimeout,
 * 13610-13614 Record method/timeout/maxLength/finishOnKey/transcribe, 13210/13212/13213/13216/13217 Dial
 * method/timeout/hangupOnStar/timeLimit/record, 13221/13222 Number method/sendDigits, 13710 Redirect method) and
 * 12200 otherwise (e.g. Play digits, Reject reason); the attribute then takes its default. Say text over 4096
 * characters is a 13521 warning (the executor refuses to speak it), an empty Say 13520. An empty Redirect is a
 * 12200 warning and keeps {@code url == ""}. A Refer without exactly one Sip is a 12200 warning with a null target.
 */
public final class TwimlParser {
    public static final int MAX_BODY_BYTES = 65536;
    public static final int MAX_DEPTH = 64;
    public static final int MAX_SAY_CHARS = 4096;

    public static final int E_TOO_LARGE = 11750;
    public static final int E_PARSE = 12100;
    public static final int E_ROOT = 12102;
    public static final int W_SCHEMA = 12200;

    private TwimlParser() {}

    /**
     * Parses a TwiML document for execution.
     *
     * @return the verbs and the warnings
     * @throws TwimlException on the first fatal problem (11750, 12100, 12102); {@link TwimlException#problems()}
     *                        holds everything found
     */
    public static Document parse(byte[] body) throws TwimlException {
        Run run = new Run();
        List<Verb> verbs = run.run(body);
        for (Problem p : run.problems) {
            if (p.error()) throw new TwimlException(p.code(), p.line(), p.message(), run.problems);
        }
        return new Document(verbs, run.problems);
    }

    /** All problems (errors and warnings) for {@code lint}; never throws. */
    public static List<Problem> check(byte[] body) {
        Run run = new Run();
        try {
            run.run(body);
        } catch (RuntimeException e) {
            run.problems.add(new Problem(0, 12400, "internal error: " + e, true));
        }
        return List.copyOf(run.problems);
    }

    // ------------------------------------------------------------------ generic tree

    private record Txt(String text, int line) {}

    private static final class El {
        final String name;
        final Map<String, String> attrs = new LinkedHashMap<>();
        final List<Object> kids = new ArrayList<>();
        final int line;

        El(String name, int line) {
            this.name = name;
            this.line = line;
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            for (Object k : kids) if (k instanceof Txt t) sb.append(t.text);
            return sb.toString().trim();
        }
    }

    private static final class Fatal extends Exception {
        Fatal() { super(null, null, false, false); }
    }

    private static final Set<String> VERBS = Set.of("Say", "Play", "Pause", "Gather", "Record", "Dial", "Hangup",
            "Redirect", "Reject", "Refer", "Enqueue", "Leave", "Connect", "Start", "Stop", "Pay", "Sms", "Echo");
    private static final Set<String> NOUNS = Set.of("Number", "Sip", "Client", "Conference", "Queue", "Application",
            "ApplicationSid", "Sim", "WhatsApp", "Identity", "Parameter", "Uri", "Headers", "Header", "Task", "Stream",
            "Siprec", "Transcription", "Recording", "Room", "ConversationRelay", "VirtualAgent", "Conversation",
            "Assistant", "AiSession", "Language", "Config", "Prompt", "Response");
    private static final Set<String> SSML = Set.of("break", "emphasis", "lang", "p", "phoneme", "prosody", "s",
            "say-as", "sub", "w", "speak", "mark");

    private static final Pattern DTMF = Pattern.compile("[0-9A-D#*wW]+");
    private static final Pattern VOICE = Pattern.compile(
            "man|woman|alice|(Polly|Google|Amazon|Azure|ElevenLabs)\\.[A-Za-z0-9._-]+");
    private static final Pattern BREAK_TIME = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)\\s*");
    private static final Set<String> RING_TONES = Set.of("at", "au", "bg", "br", "be", "ch", "cl", "cn", "cz", "de",
            "dk", "ee", "es", "fi", "fr", "gr", "hu", "il", "in", "it", "lt", "jp", "mx", "my", "nl", "no", "nz", "ph",
            "pl", "pt", "ru", "se", "sg", "th", "uk", "us", "us-old", "tw", "ve", "za");
    private static final String[] MD = {"machineDetection", "machineDetectionTimeout",
            "machineDetectionSpeechThreshold", "machineDetectionSpeechEndThreshold", "machineDetectionSilenceTimeout",
            "amdStatusCallback", "amdStatusCallbackMethod"};
    private static final String[] REC_EVENTS = {"in-progress", "completed", "absent"};
    private static final String[] CALL_EVENTS = {"initiated", "ringing", "answered", "completed"};

    // ------------------------------------------------------------------ one parse

    private static final class Run {
        final List<Problem> problems = new ArrayList<>();
        int lineOffset;

        void warn(int line, int code, String msg) {
            problems.add(new Problem(line, code, msg, false));
        }

        Fatal fatal(int line, int code, String msg) {
            problems.add(new Problem(line, code, msg, true));
            return new Fatal();
        }

        List<Verb> run(byte[] body) {
            try {
                if (body == null) body = new byte[0];
                if (body.length > MAX_BODY_BYTES) {
                    throw fatal(0, E_TOO_LARGE, "response body is " + body.length + " bytes, over the 64 kB limit ("
                            + MAX_BODY_BYTES + " bytes)");
                }
                El root = tree(body);
                if (!"Response".equals(root.name)) {
                    throw fatal(root.line, E_ROOT, "root element must be <Response>, found <" + root.name + ">");
                }
                return response(root);
            } catch (Fatal f) {
                return List.of();
            }
        }

        // ---------------------------------------------------------- XML → tree

        private static XMLInputFactory factory() {
            XMLInputFactory f = XMLInputFactory.newDefaultFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
            f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
            f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
            f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
            f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
            try {
                f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            } catch (IllegalArgumentException ignored) {
                // not supported by this implementation; DTDs are refused anyway
            }
            f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
                throw new XMLStreamException("external resource refused: " + systemId);
            });
            return f;
        }

        private int skipLeadingWhitespace(byte[] b) {
            int i = 0;
            if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) i = 3;
            int bom = i;
            int newlines = 0;
            while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
                if (b[i] == '\n') newlines++;
                i++;
            }
            if (i > bom && i + 5 <= b.length && b[i] == '<' && b[i + 1] == '?' && b[i + 2] == 'x' && b[i + 3] == 'm'
                    && b[i + 4] == 'l') {
                warn(1, E_PARSE, "whitespace before the XML declaration (fatal on Twilio; accepted here)");
                lineOffset = newlines;
                return i;
            }
            return 0;
        }

        private int line(XMLStreamReader r) {
            Location l = r.getLocation();
            return (l == null ? 0 : Math.max(l.getLineNumber(), 0)) + lineOffset;
        }

        private El tree(byte[] body) throws Fatal {
            int start = skipLeadingWhitespace(body);
            XMLStreamReader r = null;
            Deque<El> stack = new ArrayDeque<>();
            El root = null;
            try {
                r = factory().createXMLStreamReader(new ByteArrayInputStream(body, start, body.length - start));
                while (r.hasNext()) {
                    int ev = r.next();
                    switch (ev) {
                        case XMLStreamConstants.DTD ->
                                throw fatal(doctypeLine(body, start, line(r)), E_PARSE,
                                        "DOCTYPE/DTD is not allowed in TwiML (not processed)");
                        case XMLStreamConstants.ENTITY_REFERENCE ->
                                throw fatal(line(r), E_PARSE, "entity reference &" + r.getLocalName() + "; is not allowed");
                        case XMLStreamConstants.START_ELEMENT -> {
                            String prefix = r.getPrefix();
                            String name = prefix == null || prefix.isEmpty() ? r.getLocalName()
                                    : prefix + ":" + r.getLocalName();
                            El e = new El(name, line(r));
                            for (int i = 0; i < r.getAttributeCount(); i++) {
                                String ap = r.getAttributePrefix(i);
                                String an = ap == null || ap.isEmpty() ? r.getAttributeLocalName(i)
                                        : ap + ":" + r.getAttributeLocalName(i);
                                e.attrs.put(an, r.getAttributeValue(i));
                            }
                            if (stack.isEmpty()) {
                                root = e;
                            } else {
                                stack.peek().kids.add(e);
                            }
                            stack.push(e);
                            if (stack.size() > MAX_DEPTH) {
                                throw fatal(e.line, E_PARSE, "elements nested deeper than " + MAX_DEPTH);
                            }
                        }
                        case XMLStreamConstants.END_ELEMENT -> stack.pop();
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            if (!stack.isEmpty()) stack.peek().kids.add(new Txt(r.getText(), line(r)));
                        }
                        default -> { /* comments, PIs, document start/end */ }
                    }
                }
            } catch (XMLStreamException e) {
                int ln = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNumber(), 0) + lineOffset;
                throw fatal(ln, E_PARSE, "document parse failure: " + cleanMessage(e.getMessage()));
            } catch (RuntimeException e) {
                throw fatal(0, E_PARSE, "document parse failure: " + e.getMessage());
            } finally {
                if (r != null) {
                    try {
                        r.close();
                    } catch (XMLStreamException ignored) {
                        // nothing to release
                    }
                }
            }
            if (root == null) throw fatal(0, E_PARSE, "document parse failure: no root element");
            return root;
        }

        /** Line of the {@code <!DOCTYPE} keyword (the StAX location is at the end of the declaration). */
        private int doctypeLine(byte[] b, int start, int fallback) {
            int line = 1 + lineOffset;
            for (int i = start; i + 9 <= b.length; i++) {
                if (b[i] == '\n') line++;
                if (b[i] == '<' && b[i + 1] == '!' && b[i + 2] == 'D' && b[i + 3] == 'O' && b[i + 4] == 'C') return line;
            }
            return fallback;
        }

        private static String cleanMessage(String m) {
            if (m == null) return "not well-formed";
            int i = m.indexOf("Message: ");
            String s = i >= 0 ? m.substring(i + 9) : m;
            return s.replaceAll("\\s+", " ").trim();
        }

        // ---------------------------------------------------------- tree → model

        private List<Verb> response(El root) {
            new A(root);
            List<Verb> verbs = new ArrayList<>();
            for (Object k : root.kids) {
                if (k instanceof Txt t) {
                    if (!t.text.isBlank()) warn(t.line, W_SCHEMA, "text directly inside <Response> is ignored");
                } else {
                    Verb v = verb((El) k);
                    if (v != null) verbs.add(v);
                }
            }
            return verbs;
        }

        private void misplaced(El e, String parent, int code) {
            if (VERBS.contains(e.name) || NOUNS.contains(e.name)) {
                warn(e.line, code, "<" + e.name + "> is not allowed inside <" + parent + "> (skipped)");
            } else {
                warn(e.line, W_SCHEMA, "unknown element <" + e.name + "> inside <" + parent + "> (skipped)");
            }
        }

        private Verb verb(El e) {
            return switch (e.name) {
                case "Say" -> say(e, false);
                case "Play" -> play(e);
                case "Pause" -> pause(e);
                case "Gather" -> gather(e);
                case "Record" -> record(e);
                case "Dial" -> dial(e);
                case "Hangup" -> {
                    new A(e);
                    content(e, false, "Parameter");
                    yield new Hangup(e.line);
                }
                case "Redirect" -> redirect(e);
                case "Reject" -> reject(e);
                case "Refer" -> refer(e);
                case "Enqueue" -> enqueue(e);
                case "Leave" -> {
                    new A(e);
                    content(e, false);
                    yield new Leave(e.line);
                }
                case "Echo" -> {
                    new A(e);
                    content(e, false);
                    yield new Echo(e.line);
                }
                case "Connect" -> connect(e);
                case "Start" -> start(e);
                case "Stop" -> stop(e);
                case "Pay" -> pay(e);
                case "Sms" -> sms(e);
                default -> {
                    misplaced(e, "Response", W_SCHEMA);
                    yield null;
                }
            };
        }

        /** Warns about stray text (unless allowed) and child elements not in {@code allowed}; returns the allowed ones. */
        private List<El> content(El e, boolean textAllowed, String... allowed) {
            Set<String> ok = Set.of(allowed);
            List<El> out = new ArrayList<>();
            for (Object k : e.kids) {
                if (k instanceof Txt t) {
                    if (!textAllowed && !t.text.isBlank()) {
                        warn(t.line, W_SCHEMA, "text inside <" + e.name + "> is ignored");
                    }
                } else {
                    El c = (El) k;
                    if (ok.contains(c.name)) out.add(c);
                    else misplaced(c, e.name, W_SCHEMA);
                }
            }
            return out;
        }

        // ---------------------------------------------------------- Say

        private Say say(El e, boolean inGather) {
            A a = new A(e, "voice", "language", "loop");
            String voice = a.s("voice");
            if (voice == null || voice.isEmpty()) {
                voice = Say.DEFAULT_VOICE;
            } else if (!VOICE.matcher(voice).matches()) {
                warn(e.line, inGather ? 13321 : 13511, "invalid voice \"" + voice + "\" on <Say>; using \"man\"");
                voice = Say.DEFAULT_VOICE;
            }
            String lang = a.s("language");
            if (lang == null || lang.isEmpty()) lang = Say.DEFAULT_LANGUAGE;
            int loop = a.integer("loop", 1, 0, Integer.MAX_VALUE, inGather ? 13322 : 13510);
            List<SayPart> parts = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            ssml(e, parts, cur);
            flush(parts, cur);
            // trim the ends
            if (!parts.isEmpty() && parts.get(0) instanceof SayPart.Text t) {
                parts.set(0, new SayPart.Text(t.text().stripLeading()));
            }
            int last = parts.size() - 1;
            if (last >= 0 && parts.get(last) instanceof SayPart.Text t) {
                parts.set(last, new SayPart.Text(t.text().stripTrailing()));
            }
            parts.removeIf(p -> p instanceof SayPart.Text t && t.text().isEmpty());
            Say say = new Say(parts, voice, lang, loop, e.line);
            String text = say.text();
            if (text.isEmpty() && !say.hasBreaks()) warn(e.line, 13520, "<Say> has no text");
            if (text.length() > MAX_SAY_CHARS) {
                warn(e.line, 13521, "<Say> text is " + text.length() + " characters, over the " + MAX_SAY_CHARS
                        + " limit (will not be spoken)");
            }
            return say;
        }

        private static void flush(List<SayPart> parts, StringBuilder cur) {
            if (cur.length() == 0) return;
            String t = cur.toString().replaceAll("\\s+", " ");
            cur.setLength(0);
            parts.add(new SayPart.Text(t));
        }

        private void ssml(El e, List<SayPart> parts, StringBuilder cur) {
            for (Object k : e.kids) {
                if (k instanceof Txt t) {
                    cur.append(t.text);
                    continue;
                }
                El c = (El) k;
                if (c.name.equals("break")) {
                    flush(parts, cur);
                    parts.add(new SayPart.Break(breakDuration(c)));
                    if (!c.text().isEmpty()) cur.append(' ').append(c.text()).append(' ');
                } else if (c.name.equals("sub") && c.attrs.get("alias") != null) {
                    cur.append(c.attrs.get("alias"));
                } else if (SSML.contains(c.name) || c.name.startsWith("amazon:")) {
                    boolean block = c.name.equals("p") || c.name.equals("s");
                    if (block) cur.append(' ');
                    ssml(c, parts, cur);
                    if (block) cur.append(' ');
                } else if (VERBS.contains(c.name) || NOUNS.contains(c.name)) {
                    warn(c.line, W_SCHEMA, "<" + c.name + "> is not allowed inside <Say> (skipped)");
                } else {
                    warn(c.line, W_SCHEMA, "unknown SSML element <" + c.name + "> in <Say> (its text is spoken)");
                    ssml(c, parts, cur);
                }
            }
        }

        private Duration breakDuration(El c) {
            String time = c.attrs.get("time");
            if (time != null) {
                Matcher m = BREAK_TIME.matcher(time);
                if (m.matches()) {
                    double v = Double.parseDouble(m.group(1));
                    long ms = Math.round(m.group(2).equals("s") ? v * 1000 : v);
                    return Duration.ofMillis(Math.min(ms, 10_000));
                }
                warn(c.line, W_SCHEMA, "invalid <break time=\"" + time + "\">; using 500ms");
                return Duration.ofMillis(500);
            }
            String strength = c.attrs.getOrDefault("strength", "medium");
            return switch (strength) {
                case "none" -> Duration.ZERO;
                case "x-weak" -> Duration.ofMillis(100);
                case "weak" -> Duration.ofMillis(250);
                case "strong" -> Duration.ofMillis(750);
                case "x-strong" -> Duration.ofSeconds(1);
                case "medium" -> Duration.ofMillis(500);
                default -> {
                    warn(c.line, W_SCHEMA, "invalid <break strength=\"" + strength + "\">; using medium");
                    yield Duration.ofMillis(500);
                }
            };
        }

        // ---------------------------------------------------------- Play / Pause

        private Play play(El e) {
            A a = new A(e, "loop", "digits");
            int loop = a.integer("loop", 1, 0, Integer.MAX_VALUE, 13410);
            String digits = a.s("digits");
            if (digits != null && !DTMF.matcher(digits).matches()) {
                warn(e.line, W_SCHEMA, "invalid digits \"" + digits + "\" on <Play> (allowed: 0-9 A-D # * w W); ignored");
                digits = null;
            }
            content(e, true);
            String url = e.text();
            if (url.isEmpty() && digits == null) warn(e.line, W_SCHEMA, "<Play> has neither a URL nor digits");
            return new Play(url, loop, digits, e.line);
        }

        private Pause pause(El e) {
            A a = new A(e, "length");
            content(e, false);
            return new Pause(a.integer("length", 1, 1, Integer.MAX_VALUE, 13910), e.line);
        }

        // ---------------------------------------------------------- Gather

        private Gather gather(El e) {
            A a = new A(e, "action", "method", "input", "timeout", "finishOnKey", "numDigits", "actionOnEmptyResult",
                    "speechTimeout", "speechModel", "language", "hints", "profanityFilter", "partialResultCallback",
                    "partialResultCallbackMethod", "enhanced", "bargeIn", "maxSpeechTime", "debug");
            Set<Gather.Input> input = new LinkedHashSet<>();
            String in = a.s("input");
            if (in != null) {
                for (String tok : in.split("[\\s,]+")) {
                    if (tok.isEmpty()) continue;
                    switch (tok.toLowerCase(Locale.ROOT)) {
                        case "dtmf" -> input.add(Gather.Input.DTMF);
                        case "speech" -> input.add(Gather.Input.SPEECH);
                        default -> warn(e.line, W_SCHEMA, "invalid input \"" + tok + "\" on <Gather>; ignored");
                    }
                }
            }
            if (input.isEmpty()) input.add(Gather.Input.DTMF);
            int timeout;
            boolean auto = "auto".equalsIgnoreCase(a.s("timeout"));
            timeout = auto ? 5 : a.integer("timeout", 5, 0, Integer.MAX_VALUE, 13313);
            String fok = a.s("finishOnKey");
            if (fok == null) {
                fok = "#";
            } else if (!fok.isEmpty() && !fok.matches("[0-9#*]")) {
                warn(e.line, 13310, "invalid finishOnKey \"" + fok + "\" on <Gather> (one of 0-9 # * or empty); using \"#\"");
                fok = "#";
            }
            String st = a.s("speechTimeout");
            if (st != null && !st.equalsIgnoreCase("auto") && !st.matches("\\d{1,9}")) {
                warn(e.line, 13327, "invalid speechTimeout \"" + st + "\" on <Gather>; using timeout");
                st = null;
            } else if (st != null && st.equalsIgnoreCase("auto")) {
                st = "auto";
            }
            List<Verb> prompts = new ArrayList<>();
            for (Object k : e.kids) {
                if (k instanceof Txt t) {
                    if (!t.text.isBlank()) warn(t.line, W_SCHEMA, "text inside <Gather> is ignored");
                    continue;
                }
                El c = (El) k;
                switch (c.name) {
                    case "Say" -> prompts.add(say(c, true));
                    case "Pause" -> prompts.add(pause(c));
                    case "Play" -> {
                        Play p = play(c);
                        if (p.digits() != null) {
                            warn(c.line, 13320, "<Play digits> is not allowed inside <Gather> (skipped)");
                        } else {
                            prompts.add(p);
                        }
                    }
                    default -> misplaced(c, "Gather", 13320);
                }
            }
            return new Gather(a.s("action"), a.method("method", 13312), input, timeout, auto, fok,
                    a.optInt("numDigits", 1, Integer.MAX_VALUE, 13314), a.bool("actionOnEmptyResult", false, W_SCHEMA),
                    st, a.s("speechModel"), a.s("language", Say.DEFAULT_LANGUAGE), a.s("hints"),
                    a.bool("profanityFilter", true, W_SCHEMA), a.s("partialResultCallback"),
                    a.method("partialResultCallbackMethod", W_SCHEMA), a.bool("enhanced", false, W_SCHEMA),
                    a.bool("bargeIn", true, W_SCHEMA), a.optInt("maxSpeechTime", 1, Integer.MAX_VALUE, W_SCHEMA),
                    a.bool("debug", false, W_SCHEMA), prompts, e.line);
        }

        // ---------------------------------------------------------- Record

        private Record record(El e) {
            A a = new A(e, "action", "method", "timeout", "maxLength", "finishOnKey", "playBeep", "trim",
                    "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
                    "transcribe", "transcribeCallback", "recordingConfigurationId");
            content(e, false);
            String fok = a.s("finishOnKey");
            if (fok == null) {
                fok = "1234567890*#";
            } else if (!fok.matches("[0-9#*]*")) {
                warn(e.line, 13613, "invalid finishOnKey \"" + fok + "\" on <Record>; using \"1234567890*#\"");
                fok = "1234567890*#";
            }
            return new Record(a.s("action"), a.method("method", 13610),
                    a.integer("timeout", 5, 0, Integer.MAX_VALUE, 13611),
                    a.integer("maxLength", 3600, 1, Integer.MAX_VALUE, 13612), fok,
                    a.bool("playBeep", true, W_SCHEMA), a.oneOf("trim", "trim-silence", W_SCHEMA, "trim-silence", "do-not-trim"),
                    a.s("recordingStatusCallback"), a.method("recordingStatusCallbackMethod", W_SCHEMA),
                    a.events("recordingStatusCallbackEvent", Set.of("completed"), REC_EVENTS),
                    a.bool("transcribe", false, 13614), a.s("transcribeCallback"), a.s("recordingConfigurationId"),
                    e.line);
        }

        // ---------------------------------------------------------- Dial and nouns

        private Dial dial(El e) {
            A a = new A(e, "action", "method", "timeout", "callerId", "timeLimit", "hangupOnStar", "record",
                    "answerOnBridge", "ringTone", "trim", "recordingStatusCallback", "recordingStatusCallbackMethod",
                    "recordingStatusCallbackEvent", "recordingTrack", "recordingConfigurationId", "referUrl",
                    "referMethod", "sequential", "callReason", "events", "passports");
            String record = a.s("record");
            if (record == null || record.equals("false")) {
                record = "do-not-record";
            } else if (record.equals("true")) {
                record = "record-from-answer";
            } else if (!Set.of("do-not-record", "record-from-answer", "record-from-ringing", "record-from-answer-dual",
                    "record-from-ringing-dual").contains(record)) {
                warn(e.line, 13217, "invalid record \"" + record + "\" on <Dial>; using \"do-not-record\"");
                record = "do-not-record";
            }
            String ringTone = a.s("ringTone");
            if (ringTone != null && !RING_TONES.contains(ringTone)) {
                warn(e.line, W_SCHEMA, "invalid ringTone \"" + ringTone + "\" on <Dial>; using the carrier ringback");
                ringTone = null;
            }
            String callReason = a.s("callReason");
            if (callReason != null && callReason.length() > 50) {
                warn(e.line, W_SCHEMA, "callReason on <Dial> is longer than 50 characters");
            }
            List<DialNoun> nouns = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int textLine = e.line;
            boolean hasElements = false;
            int endpoints = 0;
            for (Object k : e.kids) {
                if (k instanceof Txt t) {
                    if (!t.text.isBlank() && text.length() == 0) textLine = t.line;
                    text.append(t.text);
                    continue;
                }
                El c = (El) k;
                hasElements = true;
                DialNoun n = switch (c.name) {
                    case "Number" -> number(c, c.text(), c.line, true);
                    case "Sip" -> sip(c);
                    case "Client" -> client(c);
                    case "Conference" -> conference(c);
                    case "Queue" -> queue(c);
                    case "Application", "Sim", "WhatsApp" -> generic(c);
                    default -> {
                        misplaced(c, "Dial", 13215);
                        yield null;
                    }
                };
                if (n == null) continue;
                if (n instanceof Number || n instanceof Sip || n instanceof Client) {
                    if (++endpoints > 10) {
                        warn(c.line, 13215, "more than 10 Number/Sip/Client nouns in <Dial>; <" + c.name + "> skipped");
                        continue;
                    }
                }
                nouns.add(n);
            }
            String body = text.toString().trim();
            if (!body.isEmpty()) {
                if (hasElements) {
                    warn(textLine, W_SCHEMA, "text beside nouns inside <Dial> is ignored");
                } else {
                    nouns.add(number(null, body, textLine, false));
                }
            }
            if (nouns.isEmpty()) warn(e.line, 13215, "<Dial> has nothing to dial");
            return new Dial(a.s("action"), a.method("method", 13210), a.integer("timeout", 30, 1, 600, 13212),
                    a.s("callerId"), a.integer("timeLimit", 14400, 1, 86400, 13216),
                    a.bool("hangupOnStar", false, 13213), record, a.bool("answerOnBridge", false, W_SCHEMA), ringTone,
                    a.oneOf("trim", "do-not-trim", W_SCHEMA, "trim-silence", "do-not-trim"),
                    a.s("recordingStatusCallback"), a.method("recordingStatusCallbackMethod", W_SCHEMA),
                    a.events("recordingStatusCallbackEvent", Set.of("completed"), REC_EVENTS),
                    a.oneOf("recordingTrack", "both", W_SCHEMA, "inbound", "outbound", "both"),
                    a.s("recordingConfigurationId"), a.s("referUrl"), a.method("referMethod", W_SCHEMA),
                    a.bool("sequential", false, W_SCHEMA), callReason, a.s("events"), a.s("passports"), nouns, e.line);
        }

        /** {@code e} null = plain-text Dial body. */
        private Number number(El e, String number, int line, boolean element) {
            if (!element) {
                return new Number(number, null, null, HttpMethod.POST, null, HttpMethod.POST, Set.of(), null, null, line);
            }
            String[] known = concat(new String[]{"sendDigits", "url", "method", "statusCallback",
                    "statusCallbackMethod", "statusCallbackEvent", "byoc"}, MD);
            A a = new A(e, known);
            content(e, true);
            if (number.isEmpty()) {
                warn(line, 13223, "<Number> is empty (skipped)");
                return null;
            }
            String sd = a.s("sendDigits");
            if (sd != null && !DTMF.matcher(sd).matches()) {
                warn(line, 13222, "invalid sendDigits \"" + sd + "\" on <Number>; ignored");
                sd = null;
            }
            return new Number(number, sd, a.s("url"), a.method("method", 13221), a.s("statusCallback"),
                    a.method("statusCallbackMethod", W_SCHEMA), a.events("statusCallbackEvent", Set.of(), CALL_EVENTS),
                    a.s("byoc"), machineDetection(a, e), line);
        }

        private MachineDetection machineDetection(A a, El e) {
            String mode = a.s("machineDetection");
            if (mode == null) return null;
            String m = a.oneOf("machineDetection", null, W_SCHEMA, "Enable", "DetectMessageEnd");
            if (m == null) return null;
            return new MachineDetection(m, a.optInt("machineDetectionTimeout", 3, 60, W_SCHEMA),
                    a.optInt("machineDetectionSpeechThreshold", 1000, 6000, W_SCHEMA),
                    a.optInt("machineDetectionSpeechEndThreshold", 500, 5000, W_SCHEMA),
                    a.optInt("machineDetectionSilenceTimeout", 2000, 10000, W_SCHEMA), a.s("amdStatusCallback"),
                    a.method("amdStatusCallbackMethod", W_SCHEMA));
        }

        private Sip sip(El e) {
            String[] known = concat(new String[]{"username", "password", "url", "method", "statusCallback",
                    "statusCallbackMethod", "statusCallbackEvent"}, MD);
            A a = new A(e, known);
            List<SipUri> uris = new ArrayList<>();
            Map<String, String> headers = new LinkedHashMap<>();
            for (El c : content(e, true, "Uri", "Headers")) {
                if (c.name.equals("Uri")) {
                    A ua = new A(c, "priority", "weight", "username", "password");
                    content(c, true);
                    uris.add(new SipUri(c.text(), ua.optInt("priority", 0, Integer.MAX_VALUE, W_SCHEMA),
                            ua.optInt("weight", 0, Integer.MAX_VALUE, W_SCHEMA), ua.s("username"), ua.s("password"),
                            c.line));
                } else {
                    new A(c);
                    for (El h : content(c, false, "Header")) {
                        A ha = new A(h, "name", "value");
                        content(h, false);
                        String hn = ha.s("name");
                        if (hn == null || hn.isEmpty()) warn(h.line, W_SCHEMA, "<Header> without name (skipped)");
                        else headers.put(hn, ha.s("value", ""));
                    }
                }
            }
            String uri = e.text();
            if (uri.isEmpty() && !uris.isEmpty()) uri = uris.get(0).uri();
            if (uri.isEmpty()) warn(e.line, 13243, "<Sip> has no SIP URI");
            else if (uri.length() >= 255) warn(e.line, 13243, "SIP URI is " + uri.length() + " characters (limit 254)");
            return new Sip(uri, a.s("username"), a.s("password"), a.s("url"), a.method("method", W_SCHEMA),
                    a.s("statusCallback"), a.method("statusCallbackMethod", W_SCHEMA),
                    a.events("statusCallbackEvent", Set.of(), CALL_EVENTS), machineDetection(a, e), uris, headers,
                    e.line);
        }

        private Client client(El e) {
            A a = new A(e, "url", "method", "statusCallback", "statusCallbackMethod", "statusCallbackEvent",
                    "clientNotificationUrl");
            String identity = e.text();
            List<Parameter> params = new ArrayList<>();
            for (El c : content(e, true, "Identity", "Parameter")) {
                if (c.name.equals("Identity")) {
                    new A(c);
                    content(c, true);
                    identity = c.text();
                } else {
                    params.add(parameter(c));
                }
            }
            if (identity.isEmpty()) {
                warn(e.line, W_SCHEMA, "<Client> has no identity (skipped)");
                return null;
            }
            return new Client(identity, a.s("url"), a.method("method", W_SCHEMA), a.s("statusCallback"),
                    a.method("statusCallbackMethod", W_SCHEMA), a.events("statusCallbackEvent", Set.of(), CALL_EVENTS),
                    a.s("clientNotificationUrl"), params, e.line);
        }

        private Conference conference(El e) {
            A a = new A(e, "muted", "beep", "startConferenceOnEnter", "endConferenceOnExit", "waitUrl", "waitMethod",
                    "maxParticipants", "record", "region", "trim", "coach", "participantLabel", "jitterBufferSize",
                    "statusCallback", "statusCallbackMethod", "statusCallbackEvent", "recordingStatusCallback",
                    "recordingStatusCallbackMethod", "recordingStatusCallbackEvent", "eventCallbackUrl");
            content(e, true);
            String name = e.text();
            if (name.isEmpty()) {
                warn(e.line, W_SCHEMA, "<Conference> has no name (skipped)");
                return null;
            }
            String region = a.s("region");
            if (region != null && !Set.of("us1", "us2", "ie1", "de1", "sg1", "br1", "au1", "jp1").contains(region)) {
                warn(e.line, W_SCHEMA, "invalid region \"" + region + "\" on <Conference>; using automatic");
                region = null;
            }
            return new Conference(name, a.bool("muted", false, W_SCHEMA),
                    a.oneOf("beep", "true", W_SCHEMA, "true", "false", "onEnter", "onExit"),
                    a.bool("startConferenceOnEnter", true, W_SCHEMA), a.bool("endConferenceOnExit", false, W_SCHEMA),
                    a.s("waitUrl"), a.method("waitMethod", W_SCHEMA), a.integer("maxParticipants", 250, 2, 250, W_SCHEMA),
                    a.oneOf("record", "do-not-record", W_SCHEMA, "do-not-record", "record-from-start"), region,
                    a.oneOf("trim", "trim-silence", W_SCHEMA, "trim-silence", "do-not-trim"), a.s("coach"),
                    a.s("participantLabel"),
                    a.oneOf("jitterBufferSize", "large", W_SCHEMA, "small", "medium", "large", "off"),
                    a.s("statusCallback"), a.method("statusCallbackMethod", W_SCHEMA),
                    a.events("statusCallbackEvent", Set.of(), "start", "end", "join", "leave", "mute", "hold",
                            "modify", "speaker", "announcement"),
                    a.s("recordingStatusCallback"), a.method("recordingStatusCallbackMethod", W_SCHEMA),
                    a.events("recordingStatusCallbackEvent", Set.of("completed"), REC_EVENTS),
                    a.s("eventCallbackUrl"), e.line);
        }

        private Queue queue(El e) {
            A a = new A(e, "url", "method", "reservationSid", "postWorkActivitySid");
            content(e, true);
            if (e.text().isEmpty()) {
                warn(e.line, W_SCHEMA, "<Queue> has no name (skipped)");
                return null;
            }
            return new Queue(e.text(), a.s("url"), a.method("method", W_SCHEMA), a.s("reservationSid"),
                    a.s("postWorkActivitySid"), e.line);
        }

        private Parameter parameter(El e) {
            A a = new A(e, "name", "value");
            content(e, false);
            return new Parameter(a.s("name"), a.s("value"), e.line);
        }

        private GenericNoun generic(El e) {
            List<GenericNoun> kids = new ArrayList<>();
            for (Object k : e.kids) if (k instanceof El c) kids.add(generic(c));
            return new GenericNoun(e.name, e.attrs, e.text(), kids, e.line);
        }

        // ---------------------------------------------------------- simple verbs

        private Redirect redirect(El e) {
            A a = new A(e, "method");
            content(e, true);
            String url = e.text();
            if (url.isEmpty()) warn(e.line, W_SCHEMA, "<Redirect> has no URL (re-requests the current document)");
            return new Redirect(url, a.method("method", 13710), e.line);
        }

        private Reject reject(El e) {
            A a = new A(e, "reason");
            content(e, false, "Parameter");
            String r = a.oneOf("reason", "rejected", W_SCHEMA, "rejected", "busy");
            return new Reject(r.equals("busy") ? Reject.Reason.BUSY : Reject.Reason.REJECTED, e.line);
        }

        private Refer refer(El e) {
            A a = new A(e, "action", "method");
            List<El> sips = content(e, false, "Sip");
            Sip target = null;
            if (sips.size() == 1) {
                target = sip(sips.get(0));
            } else {
                warn(e.line, W_SCHEMA, "<Refer> needs exactly one <Sip>, found " + sips.size());
            }
            return new Refer(a.s("action"), a.method("method", W_SCHEMA), target, e.line);
        }

        private Enqueue enqueue(El e) {
            A a = new A(e, "action", "method", "waitUrl", "waitUrlMethod", "workflowSid", "maxQueueSize");
            Task task = null;
            for (El c : content(e, true, "Task")) {
                A ta = new A(c, "priority", "timeout");
                content(c, true);
                task = new Task(c.text(), ta.optInt("priority", 0, Integer.MAX_VALUE, W_SCHEMA),
                        ta.optInt("timeout", 0, Integer.MAX_VALUE, W_SCHEMA), c.line);
            }
            String name = e.text();
            if (name.isEmpty() && task == null) warn(e.line, W_SCHEMA, "<Enqueue> has no queue name");
            if (name.length() > 64) warn(e.line, W_SCHEMA, "queue name longer than 64 characters");
            return new Enqueue(name, a.s("action"), a.method("method", W_SCHEMA), a.s("waitUrl"),
                    a.method("waitUrlMethod", W_SCHEMA), a.s("workflowSid"),
                    a.optInt("maxQueueSize", 1, Integer.MAX_VALUE, W_SCHEMA), task, e.attrs, e.line);
        }

        private Connect connect(El e) {
            A a = new A(e, "action", "method");
            List<MediaNoun> nouns = media(e, "Stream", "Room", "ConversationRelay", "VirtualAgent", "Conversation",
                    "Assistant", "AiSession");
            return new Connect(a.s("action"), a.method("method", W_SCHEMA), nouns, e.line);
        }

        private Start start(El e) {
            A a = new A(e, "action", "method");
            List<MediaNoun> nouns = media(e, "Stream", "Siprec", "Transcription", "Recording");
            return new Start(a.s("action"), a.method("method", W_SCHEMA), nouns, e.line);
        }

        private Stop stop(El e) {
            new A(e);
            return new Stop(media(e, "Stream", "Siprec", "Transcription", "Recording"), e.line);
        }

        private List<MediaNoun> media(El e, String... allowed) {
            List<MediaNoun> out = new ArrayList<>();
            for (El c : content(e, false, allowed)) {
                out.add(switch (c.name) {
                    case "Stream" -> {
                        A a = new A(c, "url", "name", "track", "statusCallback", "statusCallbackMethod", "connectorName");
                        yield new Stream(a.s("url"), a.s("name"),
                                a.oneOf("track", "inbound_track", W_SCHEMA, "inbound_track", "outbound_track", "both_tracks"),
                                a.s("statusCallback"), a.method("statusCallbackMethod", W_SCHEMA), params(c), c.attrs,
                                c.line);
                    }
                    case "Siprec" -> {
                        A a = new A(c, "name", "connectorName", "track", "statusCallback", "statusCallbackMethod");
                        yield new Siprec(a.s("name"), a.s("connectorName"), a.s("track"), a.s("statusCallback"),
                                a.method("statusCallbackMethod", W_SCHEMA), params(c), c.attrs, c.line);
                    }
                    case "Transcription" -> {
                        A a = new A(c, "name", "track", "statusCallbackUrl", "statusCallbackMethod", "languageCode",
                                "transcriptionEngine", "speechModel", "profanityFilter", "partialResults", "hints",
                                "enableAutomaticPunctuation", "inboundTrackLabel", "outboundTrackLabel",
                                "intelligenceService", "enableProviderData", "conversationConfiguration",
                                "conversationId");
                        yield new Transcription(a.s("name"), a.s("track"), a.s("statusCallbackUrl"),
                                a.method("statusCallbackMethod", W_SCHEMA), params(c), c.attrs, c.line);
                    }
                    case "Recording" -> {
                        A a = new A(c, "recordingStatusCallback", "recordingStatusCallbackMethod",
                                "recordingStatusCallbackEvent", "trim", "track", "channels", "recordingConfigurationId");
                        content(c, false);
                        yield new Recording(a.s("recordingStatusCallback"),
                                a.method("recordingStatusCallbackMethod", W_SCHEMA),
                                a.events("recordingStatusCallbackEvent", Set.of(), REC_EVENTS), a.s("trim"),
                                a.s("track"), a.s("channels"), c.attrs, c.line);
                    }
                    case "Room" -> {
                        A a = new A(c, "participantIdentity");
                        content(c, true);
                        yield new Room(c.text(), a.s("participantIdentity"), c.line);
                    }
                    case "ConversationRelay" -> {
                        new A(c, "url", "welcomeGreeting", "welcomeGreetingInterruptible", "language", "ttsLanguage",
                                "ttsProvider", "voice", "transcriptionLanguage", "transcriptionProvider",
                                "speechModel", "interruptible", "dtmfDetection", "reportInputDuringAgentSpeech",
                                "preemptible", "hints", "intelligenceService", "profanityFilter", "partialPrompts",
                                "debug", "elevenlabsTextNormalization", "interruptSensitivity");
                        List<Parameter> ps = new ArrayList<>();
                        List<GenericNoun> kids = new ArrayList<>();
                        for (El k : content(c, false, "Language", "Parameter")) {
                            if (k.name.equals("Parameter")) ps.add(parameter(k));
                            else kids.add(generic(k));
                        }
                        yield new ConversationRelay(c.attrs.get("url"), c.attrs, ps, kids, c.line);
                    }
                    case "VirtualAgent" -> {
                        A a = new A(c, "connectorName", "language", "sentimentAnalysis", "statusCallback",
                                "statusCallbackMethod");
                        List<Parameter> ps = new ArrayList<>();
                        for (El k : content(c, false, "Parameter", "Config")) {
                            A ka = new A(k, "name", "value");
                            ps.add(new Parameter(ka.s("name"), ka.s("value"), k.line));
                        }
                        yield new VirtualAgent(a.s("connectorName"), c.attrs, ps, c.line);
                    }
                    default -> generic(c);
                });
            }
            return out;
        }

        private List<Parameter> params(El e) {
            List<Parameter> ps = new ArrayList<>();
            for (El c : content(e, false, "Parameter")) ps.add(parameter(c));
            return ps;
        }

        private Pay pay(El e) {
            A a = new A(e, "input", "action", "bankAccountType", "statusCallback", "statusCallbackMethod", "timeout",
                    "maxAttempts", "securityCode", "postalCode", "minPostalCodeLength", "paymentConnector",
                    "paymentMethod", "tokenType", "chargeAmount", "currency", "description", "validCardTypes",
                    "language", "method", "confirmation", "requireMatchingInputs");
            List<Prompt> prompts = new ArrayList<>();
            List<Parameter> ps = new ArrayList<>();
            for (El c : content(e, false, "Prompt", "Parameter")) {
                if (c.name.equals("Parameter")) {
                    ps.add(parameter(c));
                    continue;
                }
                new A(c, "for", "for_", "errorType", "cardType", "attempt", "requireMatchingInputs");
                List<Verb> kids = new ArrayList<>();
                for (El k : content(c, false, "Say", "Play", "Pause")) {
                    kids.add(switch (k.name) {
                        case "Say" -> say(k, false);
                        case "Play" -> play(k);
                        default -> pause(k);
                    });
                }
                prompts.add(new Prompt(c.attrs, kids, c.line));
            }
            return new Pay(a.s("action"), a.method("method", W_SCHEMA), e.attrs, prompts, ps, e.line);
        }

        private Sms sms(El e) {
            A a = new A(e, "to", "from", "action", "method", "statusCallback");
            content(e, true);
            return new Sms(e.text(), a.s("to"), a.s("from"), a.s("action"), a.method("method", W_SCHEMA),
                    a.s("statusCallback"), e.line);
        }

        private static String[] concat(String[] a, String[] b) {
            String[] r = new String[a.length + b.length];
            System.arraycopy(a, 0, r, 0, a.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }

        // ---------------------------------------------------------- attribute access

        /** Attribute reader for one element; constructing it reports unknown attributes. */
        private final class A {
            private final El e;

            A(El e, String... known) {
                this.e = e;
                Set<String> k = new HashSet<>(List.of(known));
                for (String n : e.attrs.keySet()) {
                    if (!k.contains(n) && !n.startsWith("xmlns")) {
                        warn(e.line, W_SCHEMA, "unknown attribute " + n + " on <" + e.name + "> (ignored)");
                    }
                }
            }

            String s(String n) {
                String v = e.attrs.get(n);
                return v == null ? null : v.trim();
            }

            String s(String n, String def) {
                String v = s(n);
                return v == null || v.isEmpty() ? def : v;
            }

            private void bad(String n, String v, int code, Object def) {
                warn(e.line, code, "invalid " + n + " \"" + v + "\" on <" + e.name + ">; using "
                        + (def == null ? "none" : def));
            }

            HttpMethod method(String n, int code) {
                String v = s(n);
                if (v == null) return HttpMethod.POST;
                var m = HttpMethod.parse(v);
                if (m.isEmpty()) bad(n, v, code, HttpMethod.POST);
                return m.orElse(HttpMethod.POST);
            }

            int integer(String n, int def, int min, int max, int code) {
                Integer v = optInt(n, min, max, code, def);
                return v == null ? def : v;
            }

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

            boolean bool(String n, boolean def, int code) {
                String v = s(n);
                if (v == null) return def;
                if (v.equalsIgnoreCase("true")) return true;
                if (v.equalsIgnoreCase("false")) return false;
                bad(n, v, code, def);
                return def;
            }

            String oneOf(String n, String def, int code, String... allowed) {
                String v = s(n);
                if (v == null) return def;
                for (String x : allowed) if (x.equalsIgnoreCase(v)) return x;
                bad(n, v, code, def);
                return def;
            }

            Set<String> events(String n, Set<String> def, String... allowed) {
                String v = s(n);
                if (v == null) return def;
                Set<String> ok = Set.of(allowed);
                Set<String> out = new LinkedHashSet<>();
                for (String tok : v.split("[\\s,]+")) {
                    if (tok.isEmpty()) continue;
                    if (ok.contains(tok)) out.add(tok);
                    else warn(e.line, W_SCHEMA, "invalid " + n + " value \"" + tok + "\" on <" + e.name + ">; ignored");
                }
                return out.isEmpty() ? def : out;
            }
        }
    }
}
