package io.twimlagi.twiml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random TwiML documents for the parser's fuzz test: every verb and noun with random subsets of its attributes
 * (valid values, invalid ones, quotes, commas, pipes, {@code ${...}}, newlines, control characters as character
 * references, values up to and beyond the limits), misplaced and unknown elements, SSML, deep nesting, and broken
 * documents (DOCTYPE, entities, truncation, wrong root, XML 1.1, BOM, leading whitespace). Deterministic per seed.
 */
final class TwimlFuzzer {
    /** Element → its attributes as the parser knows them (unknown ones are added at random). */
    private static final Map<String, List<String>> ATTRS = Map.ofEntries(
            Map.entry("Say", List.of("voice", "language", "loop")),
            Map.entry("Play", List.of("loop", "digits")),
            Map.entry("Pause", List.of("length")),
            Map.entry("Gather", List.of("action", "method", "input", "timeout", "finishOnKey", "numDigits",
                    "actionOnEmptyResult", "speechTimeout", "speechModel", "language", "hints", "profanityFilter",
                    "partialResultCallback", "partialResultCallbackMethod", "enhanced", "bargeIn", "maxSpeechTime",
                    "debug")),
            Map.entry("Record", List.of("action", "method", "timeout", "maxLength", "finishOnKey", "playBeep", "trim",
                    "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
                    "transcribe", "transcribeCallback", "recordingConfigurationId")),
            Map.entry("Dial", List.of("action", "method", "timeout", "callerId", "timeLimit", "hangupOnStar", "record",
                    "answerOnBridge", "ringTone", "trim", "recordingStatusCallback", "recordingStatusCallbackMethod",
                    "recordingStatusCallbackEvent", "recordingTrack", "recordingConfigurationId", "referUrl",
                    "referMethod", "sequential", "callReason", "events", "passports")),
            Map.entry("Hangup", List.of()),
            Map.entry("Redirect", List.of("method")),
            Map.entry("Reject", List.of("reason")),
            Map.entry("Refer", List.of("action", "method")),
            Map.entry("Enqueue", List.of("action", "method", "waitUrl", "waitUrlMethod", "workflowSid",
                    "maxQueueSize")),
            Map.entry("Leave", List.of()),
            Map.entry("Echo", List.of()),
            Map.entry("Connect", List.of("action", "method")),
            Map.entry("Start", List.of("action", "method")),
            Map.entry("Stop", List.of()),
            Map.entry("Pay", List.of("input", "action", "bankAccountType", "statusCallback", "statusCallbackMethod",
                    "timeout", "maxAttempts", "securityCode", "postalCode", "minPostalCodeLength", "paymentConnector",
                    "paymentMethod", "tokenType", "chargeAmount", "currency", "description", "validCardTypes",
                    "language", "method", "confirmation", "requireMatchingInputs")),
            Map.entry("Sms", List.of("to", "from", "action", "method", "statusCallback")),
            Map.entry("Number", List.of("sendDigits", "url", "method", "statusCallback", "statusCallbackMethod",
                    "statusCallbackEvent", "byoc", "machineDetection", "machineDetectionTimeout",
                    "machineDetectionSpeechThreshold", "machineDetectionSpeechEndThreshold",
                    "machineDetectionSilenceTimeout", "amdStatusCallback", "amdStatusCallbackMethod")),
            Map.entry("Sip", List.of("username", "password", "url", "method", "statusCallback",
                    "statusCallbackMethod", "statusCallbackEvent", "machineDetection", "machineDetectionTimeout",
                    "machineDetectionSpeechThreshold", "machineDetectionSpeechEndThreshold",
                    "machineDetectionSilenceTimeout", "amdStatusCallback", "amdStatusCallbackMethod")),
            Map.entry("Client", List.of("url", "method", "statusCallback", "statusCallbackMethod",
                    "statusCallbackEvent", "clientNotificationUrl")),
            Map.entry("Conference", List.of("muted", "beep", "startConferenceOnEnter", "endConferenceOnExit",
                    "waitUrl", "waitMethod", "maxParticipants", "record", "region", "trim", "coach",
                    "participantLabel", "jitterBufferSize", "statusCallback", "statusCallbackMethod",
                    "statusCallbackEvent", "recordingStatusCallback", "recordingStatusCallbackMethod",
                    "recordingStatusCallbackEvent", "eventCallbackUrl")),
            Map.entry("Queue", List.of("url", "method", "reservationSid", "postWorkActivitySid")),
            Map.entry("Task", List.of("priority", "timeout")),
            Map.entry("Uri", List.of("priority", "weight", "username", "password")),
            Map.entry("Headers", List.of()),
            Map.entry("Header", List.of("name", "value")),
            Map.entry("Identity", List.of()),
            Map.entry("Parameter", List.of("name", "value")),
            Map.entry("Stream", List.of("url", "name", "track", "statusCallback", "statusCallbackMethod",
                    "connectorName")),
            Map.entry("Siprec", List.of("name", "connectorName", "track", "statusCallback", "statusCallbackMethod")),
            Map.entry("Transcription", List.of("name", "track", "statusCallbackUrl", "statusCallbackMethod",
                    "languageCode", "transcriptionEngine", "speechModel", "profanityFilter", "partialResults",
                    "hints", "enableAutomaticPunctuation", "inboundTrackLabel", "outboundTrackLabel",
                    "intelligenceService", "enableProviderData", "conversationConfiguration", "conversationId")),
            Map.entry("Recording", List.of("recordingStatusCallback", "recordingStatusCallbackMethod",
                    "recordingStatusCallbackEvent", "trim", "track", "channels", "recordingConfigurationId")),
            Map.entry("Room", List.of("participantIdentity")),
            Map.entry("ConversationRelay", List.of("url", "welcomeGreeting", "welcomeGreetingInterruptible",
                    "language", "ttsLanguage", "ttsProvider", "voice", "transcriptionLanguage",
                    "transcriptionProvider", "speechModel", "interruptible", "dtmfDetection",
                    "reportInputDuringAgentSpeech", "preemptible", "hints", "intelligenceService", "profanityFilter",
                    "partialPrompts", "debug", "elevenlabsTextNormalization", "interruptSensitivity")),
            Map.entry("VirtualAgent", List.of("connectorName", "language", "sentimentAnalysis", "statusCallback",
                    "statusCallbackMethod")),
            Map.entry("Prompt", List.of("for", "for_", "errorType", "cardType", "attempt", "requireMatchingInputs")),
            Map.entry("Language", List.of("code", "ttsProvider", "voice")),
            Map.entry("Config", List.of("name", "value")),
            Map.entry("Application", List.of("customerId", "copyParentTo")),
            Map.entry("ApplicationSid", List.of()),
            Map.entry("Sim", List.of()),
            Map.entry("WhatsApp", List.of()),
            Map.entry("Conversation", List.of("serviceInstanceSid")),
            Map.entry("Assistant", List.of("id")),
            Map.entry("AiSession", List.of("aiConnector")),
            Map.entry("break", List.of("time", "strength")),
            Map.entry("emphasis", List.of("level")),
            Map.entry("prosody", List.of("rate", "pitch", "volume")),
            Map.entry("say-as", List.of("interpret-as", "format")),
            Map.entry("sub", List.of("alias")),
            Map.entry("lang", List.of("xml:lang")),
            Map.entry("phoneme", List.of("alphabet", "ph")),
            Map.entry("p", List.of()),
            Map.entry("s", List.of()),
            Map.entry("w", List.of("role")),
            Map.entry("amazon:effect", List.of("name")));

    /** Element → the children Twilio allows there (others are drawn too, less often). */
    private static final Map<String, List<String>> KIDS = Map.ofEntries(
            Map.entry("Response", List.of("Say", "Play", "Pause", "Gather", "Record", "Dial", "Hangup", "Redirect",
                    "Reject", "Refer", "Enqueue", "Leave", "Echo", "Connect", "Start", "Stop", "Pay", "Sms")),
            Map.entry("Say", List.of("break", "emphasis", "prosody", "say-as", "sub", "lang", "phoneme", "p", "s", "w",
                    "amazon:effect")),
            Map.entry("Gather", List.of("Say", "Play", "Pause")),
            Map.entry("Dial", List.of("Number", "Sip", "Client", "Conference", "Queue", "Application", "Sim",
                    "WhatsApp")),
            Map.entry("Hangup", List.of("Parameter")),
            Map.entry("Reject", List.of("Parameter")),
            Map.entry("Refer", List.of("Sip")),
            Map.entry("Enqueue", List.of("Task")),
            Map.entry("Connect", List.of("Stream", "Room", "ConversationRelay", "VirtualAgent", "Conversation",
                    "Assistant", "AiSession")),
            Map.entry("Start", List.of("Stream", "Siprec", "Transcription", "Recording")),
            Map.entry("Stop", List.of("Stream", "Siprec", "Transcription", "Recording")),
            Map.entry("Pay", List.of("Prompt", "Parameter")),
            Map.entry("Prompt", List.of("Say", "Play", "Pause")),
            Map.entry("Sip", List.of("Uri", "Headers")),
            Map.entry("Headers", List.of("Header")),
            Map.entry("Client", List.of("Identity", "Parameter")),
            Map.entry("Stream", List.of("Parameter")),
            Map.entry("Siprec", List.of("Parameter")),
            Map.entry("Transcription", List.of("Parameter")),
            Map.entry("ConversationRelay", List.of("Language", "Parameter")),
            Map.entry("VirtualAgent", List.of("Parameter", "Config")),
            Map.entry("Application", List.of("ApplicationSid", "Parameter")),
            Map.entry("emphasis", List.of("break", "prosody")),
            Map.entry("prosody", List.of("break", "emphasis")),
            Map.entry("p", List.of("s", "break")),
            Map.entry("s", List.of("break", "w")),
            Map.entry("lang", List.of("break")),
            Map.entry("amazon:effect", List.of("break")));

    /** Elements whose text is their content (a URL, a number, a name...). */
    private static final List<String> TEXTY = List.of("Say", "Play", "Redirect", "Enqueue", "Sms", "Number", "Sip",
            "Client", "Conference", "Queue", "Task", "Uri", "Identity", "Room", "Dial", "Sim", "WhatsApp",
            "ApplicationSid", "emphasis", "prosody", "say-as", "sub", "lang", "phoneme", "p", "s", "w",
            "amazon:effect", "break");

    /** Every element name, sorted (Map.of iterates in a different order on each run). */
    private static final String[] ALL = ATTRS.keySet().stream().sorted().toArray(String[]::new);

    static final String[] NASTY = {"\"quoted\"", "it's", "a,b,c", "a|b|c", "${EXTEN}", "${SHELL(id)}",
            "$[1+1]", "line1\nline2", "tab\there", "semi;colon", "back\\slash", "a)b(c", "&amp;", "<tag>", "]]>",
            "\u00e9\u00e8\u4e2d\ud83d\ude00", " padded ", "", " ", "\r\n", "\u0001\u0002\u001f", "NUL\u0000",
            "sip:bob@example.com;transport=tcp?X-A=1&X-B=${x}", "+1 (555) 123-4567", "client:alice", "*#",
            "\u200b", "-1", "0", "99999999999999999999", "1e9", "0x10", "NaN", "true", "GET", "auto"};

    private static final String[] RING_TONES = {"at", "au", "bg", "br", "be", "ch", "cl", "cn", "cz", "de", "dk",
            "ee", "es", "fi", "fr", "gr", "hu", "il", "in", "it", "lt", "jp", "mx", "my", "nl", "no", "nz", "ph", "pl",
            "pt", "ru", "se", "sg", "th", "uk", "us", "us-old", "tw", "ve", "za", "US", "xx", "us-new", "u k"};

    private final Random rnd;
    /** Current XML version: 1.1 allows character references to control characters (not to NUL). */
    private boolean xml11;
    /** In an XML 1.0 document: write control characters as (illegal, fatal) references instead of spaces. */
    private boolean illegalRefs;

    TwimlFuzzer(long seed) {
        this.rnd = new Random(seed);
    }

    /** One random document (usually a valid-looking TwiML body, sometimes broken on purpose). */
    byte[] document() {
        xml11 = rnd.nextInt(8) == 0;
        illegalRefs = rnd.nextInt(30) == 0;
        StringBuilder sb = new StringBuilder();
        int prolog = rnd.nextInt(20);
        if (prolog == 0) sb.append('\uFEFF');
        if (prolog == 1) sb.append(" \n\t");
        if (prolog != 2) sb.append("<?xml version=\"").append(xml11 ? "1.1" : "1.0").append("\" encoding=\"UTF-8\"?>");
        if (rnd.nextInt(4) == 0) sb.append('\n');
        if (rnd.nextInt(200) == 0) sb.append("<!DOCTYPE Response [<!ENTITY x \"y\">]>");
        if (rnd.nextInt(300) == 0) sb.append("<!-- comment --><?pi data?>");
        String root = rnd.nextInt(100) == 0 ? pick("Say", "response", "Dial", "x:Response") : "Response";
        sb.append('<').append(root);
        if (rnd.nextInt(30) == 0) sb.append(" xmlns=\"http://example.com/twiml\"");
        sb.append('>');
        int verbs = rnd.nextInt(6);
        for (int i = 0; i < verbs; i++) {
            if (rnd.nextInt(15) == 0) sb.append(escape(text(rnd.nextInt(40)), false));
            element(sb, rnd.nextInt(10) == 0 ? any() : pick(KIDS.get("Response")), 1);
            if (rnd.nextInt(3) == 0) sb.append('\n');
        }
        if (rnd.nextInt(40) == 0) deep(sb, 50 + rnd.nextInt(30));
        if (rnd.nextInt(150) == 0) sb.append("<Say>&undefined;</Say>");
        sb.append("</").append(root).append('>');
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(60) == 0 && b.length > 1) { // truncated or corrupted in the middle
            b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
        } else if (rnd.nextInt(100) == 0 && b.length > 1) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    private void element(StringBuilder sb, String name, int depth) {
        sb.append('<').append(name);
        List<String> known = ATTRS.getOrDefault(name, List.of());
        for (String a : known) {
            if (rnd.nextInt(3) == 0) attribute(sb, name, a);
        }
        if (rnd.nextInt(12) == 0) attribute(sb, name, pick("bogus", "Voice", "LOOP", "x:y", "data-x", "xmlns:t"));
        if (rnd.nextInt(6) == 0 && depth > 1 && !TEXTY.contains(name) && !KIDS.containsKey(name)) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        List<String> kids = KIDS.getOrDefault(name, List.of());
        boolean texty = TEXTY.contains(name);
        int n = depth > 5 ? 0 : rnd.nextInt(kids.isEmpty() ? 2 : Math.max(2, 6 - depth));
        if (texty || rnd.nextInt(10) == 0) sb.append(content(name));
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(20);
            String kid = r == 0 ? any() : r == 1 ? pick("Unknown", "say", "foo:bar", "SAY") : kids.isEmpty()
                    ? any() : pick(kids);
            if (r > 1 && kids.isEmpty() && rnd.nextBoolean()) continue;
            element(sb, kid, depth + 1);
            if (texty && rnd.nextInt(3) == 0) sb.append(content(name));
        }
        sb.append("</").append(name).append('>');
    }

    /** A chain of nested elements around the depth limit (64 in the parser). */
    private void deep(StringBuilder sb, int levels) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            String name = pick("Say", "emphasis", "p", "Gather", "Dial", "Unknown", "x");
            names.add(0, name);
            sb.append('<').append(name).append(" n=\"").append(i).append("\">");
        }
        sb.append("deep");
        for (String name : names) sb.append("</").append(name).append('>');
    }

    private void attribute(StringBuilder sb, String element, String attr) {
        char q = rnd.nextInt(5) == 0 ? '\'' : '"';
        sb.append(' ').append(attr).append('=').append(q).append(escape(value(element, attr), true))
                .append(q);
    }

    /** A value for {@code attr}: mostly plausible for it, otherwise anything. */
    private String value(String element, String attr) {
        int r = rnd.nextInt(40);
        if (r < 4) return pick(NASTY);
        if (r == 4) return longValue();
        if (r < 8) return text(rnd.nextInt(30));
        String lower = attr.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith("method")) return pick("GET", "POST", "get", "Post", " GET ", "PUT", "", "DELETE");
        if (lower.endsWith("event")) return events();
        return switch (attr) {
            case "loop", "length", "timeout", "maxLength", "numDigits", "maxSpeechTime", "timeLimit",
                 "maxParticipants", "priority", "weight", "maxQueueSize", "machineDetectionTimeout",
                 "machineDetectionSpeechThreshold", "machineDetectionSpeechEndThreshold",
                 "machineDetectionSilenceTimeout", "maxAttempts", "minPostalCodeLength" -> number();
            case "speechTimeout" -> rnd.nextBoolean() ? "auto" : number();
            case "muted", "startConferenceOnEnter", "endConferenceOnExit", "hangupOnStar", "answerOnBridge",
                 "sequential", "playBeep", "transcribe", "actionOnEmptyResult", "profanityFilter", "enhanced",
                 "bargeIn", "debug" -> pick("true", "false", "TRUE", "False", "yes", "1", "");
            case "voice" -> pick("man", "woman", "alice", "Polly.Joanna", "Polly.Joanna-Neural", "Google.en-US-x",
                    "Polly.", "bogus", "MAN");
            case "language" -> pick("en-US", "fr-FR", "de", "", "xx-YY");
            case "digits", "sendDigits" -> pick("1234", "ww12#*", "wWA-D", "ABCD", "12x", "", "w".repeat(40));
            case "finishOnKey" -> pick("#", "*", "", "1", "12", "x", "1234567890*#", "#*", " ");
            case "input" -> pick("dtmf", "speech", "dtmf speech", "speech,dtmf", "DTMF", "bogus", "dtmf bogus", "");
            case "record" -> "Conference".equals(element)
                    ? pick("do-not-record", "record-from-start", "true", "RECORD-FROM-START", "x")
                    : pick("true", "false", "do-not-record", "record-from-answer", "record-from-ringing",
                    "record-from-answer-dual", "record-from-ringing-dual", "TRUE", "record-from-start", "always");
            case "trim" -> pick("trim-silence", "do-not-trim", "TRIM-SILENCE", "true", "");
            case "beep" -> pick("true", "false", "onEnter", "onExit", "ONENTER", "TRUE", "maybe");
            case "ringTone" -> pick(RING_TONES);
            case "reason" -> pick("rejected", "busy", "BUSY", "other");
            case "track" -> pick("inbound_track", "outbound_track", "both_tracks", "both", "x");
            case "recordingTrack" -> pick("inbound", "outbound", "both", "BOTH", "x");
            case "jitterBufferSize" -> pick("small", "medium", "large", "off", "huge");
            case "region" -> pick("us1", "us2", "ie1", "de1", "sg1", "br1", "au1", "jp1", "eu", "");
            case "machineDetection" -> pick("Enable", "DetectMessageEnd", "enable", "x");
            case "time" -> pick("500ms", "2s", "1.5s", "0ms", "100000s", "x", " 3 s ");
            case "strength" -> pick("none", "x-weak", "weak", "medium", "strong", "x-strong", "loud");
            case "callReason" -> "x".repeat(rnd.nextInt(80));
            case "callerId" -> pick("+15551234567", "client:alice", "alice", "a b", "${x}");
            default -> pick("/path", "http://example.com/a?b=c&d=e", "https://h/x y", "relative", "sip:a@b",
                    "", "name", "value");
        };
    }

    private String number() {
        return pick("0", "1", "2", "5", "30", "600", "601", "3600", "14400", "86400", "86401", "-1", "+5", "1.5",
                "abc", "", " 7 ", "2147483647", "2147483648", "99999999999999999999", "250", "251", "3", "60", "61",
                "999", "1000", "6000", "6001", "500", "5000", "2000", "10000", "10001");
    }

    private String events() {
        String[] pool = {"initiated", "ringing", "answered", "completed", "in-progress", "absent", "start", "end",
                "join", "leave", "mute", "hold", "modify", "speaker", "announcement", "bogus", ""};
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) sb.append(pick(pool)).append(pick(" ", ",", ", ", "  ", "\t"));
        return sb.toString();
    }

    /** Text content for {@code element}: plausible for it, nasty, long or empty. */
    private String content(String element) {
        int r = rnd.nextInt(30);
        String s;
        if (r < 3) s = pick(NASTY);
        else if (r == 3) s = longValue();
        else if (r < 6) s = "";
        else s = switch (element) {
            case "Number", "Dial" -> pick("+15551234567", "5551234", "+1 555", "abc", "${X}", "1,2|3");
            case "Sip", "Uri" -> pick("sip:bob@example.com", "sip:bob@example.com?X-A=1&X-B=2", "sips:a@b;x=y",
                    "notsip", "sip:" + "a".repeat(260) + "@b");
            case "Play", "Redirect" -> pick("http://example.com/a.wav", "/rel", "file:///etc/passwd", "a b");
            default -> text(rnd.nextInt(60));
        };
        if (rnd.nextInt(25) == 0) return "<![CDATA[" + s.replace("]]>", "]]") + "]]>";
        return escape(s, false);
    }

    private String longValue() {
        int n = pick(new int[]{50, 51, 64, 65, 254, 255, 4096, 4097, 5000, 70000});
        if (n > 60000 && rnd.nextInt(4) != 0) n = 4097; // keep most documents under the body limit
        StringBuilder sb = new StringBuilder(n);
        String unit = pick("a", "x ", "\u00e9", "${x}", ",|", "\"'");
        while (sb.length() < n) sb.append(unit);
        sb.setLength(n);
        return sb.toString();
    }

    /** Random words with punctuation, quotes, separators and now and then a control character. */
    private String text(int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            int r = rnd.nextInt(25);
            if (r == 0) sb.append(pick(NASTY));
            else if (r == 1) sb.append((char) rnd.nextInt(0x20));
            else if (r == 2) sb.append(pick(",", "|", "\"", "'", "${", "}", "\n", "&", "<", ">", ";", "\\"));
            else sb.append(pick("hello", "world", "123", "caf\u00e9", "A", "#", "ssml", "twilio"));
            sb.append(rnd.nextInt(4) == 0 ? "" : " ");
        }
        return sb.toString();
    }

    /**
     * XML-escapes {@code s}; characters illegal raw become character references (legal in XML 1.1 except NUL; in
     * XML 1.0 they make the document fatal, which the test accepts as a TwimlException). In attributes, newlines
     * are written as references half of the time (raw ones are normalised to spaces by XML).
     */
    private String escape(String s, boolean attribute) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                case '\'' -> sb.append(attribute ? "&apos;" : "'");
                case '\n', '\r', '\t' -> sb.append(attribute && rnd.nextBoolean() ? "&#" + (int) c + ";" : c);
                default -> {
                    if (c < 0x20 && !xml11 && !illegalRefs) {
                        sb.append(' '); // mostly keep 1.0 documents valid; sometimes a fatal reference
                    } else if (c < 0x20) {
                        sb.append("&#").append(rnd.nextBoolean() ? Integer.toString(c) : "x" + Integer.toHexString(c))
                                .append(';');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private String any() {
        return pick(ALL);
    }

    private String pick(String... xs) {
        return xs[rnd.nextInt(xs.length)];
    }

    private String pick(List<String> xs) {
        return xs.get(rnd.nextInt(xs.size()));
    }

    private int pick(int[] xs) {
        return xs[rnd.nextInt(xs.length)];
    }
}
