package io.twimlagi.stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio's Media Streams protocol (twilio.com/docs/voice/media-streams/websocket-messages), the JSON text frames
 * both ways. What the server sends is one record per message; {@link #parse} reads what a bidirectional stream's
 * app sends. Every number Twilio sends is a string, except {@code mediaFormat}'s; fields come in Twilio's order.
 */
public final class TwilioStreamProtocol {
    /** The most text one app message may have (~48 s of audio as one media message); larger ones are refused. */
    public static final int MAX_APP_MESSAGE_CHARS = 1024 * 1024;
    /** Twilio's warning for a message that does not follow the protocol (once per stream). */
    public static final int INVALID_MESSAGE = 31951;
    /** Twilio's warning for a message that cannot be decoded: a binary frame (once per stream). */
    public static final int MALFORMED_MESSAGE = 31950;

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private TwilioStreamProtocol() {
    }

    /** A message to the app. */
    public sealed interface Outbound permits Connected, Start, Media, Dtmf, Mark, Stop {
        /** The JSON text; {@code sequenceNumber} is ignored by {@link Connected}, which has none. */
        String json(long sequenceNumber);
    }

    /** The first message, when the WebSocket opens. */
    public record Connected() implements Outbound {
        @Override
        public String json(long sequenceNumber) {
            return "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";
        }
    }

    /** The stream's metadata, right after {@link Connected}; {@code tracks} are "inbound" and/or "outbound". */
    public record Start(String streamSid, String accountSid, String callSid, List<String> tracks,
                        Map<String, String> customParameters) implements Outbound {
        public Start {
            tracks = List.copyOf(tracks);
            customParameters = Collections.unmodifiableMap(new LinkedHashMap<>(customParameters));
        }

        @Override
        public String json(long sequenceNumber) {
            StringBuilder b = new StringBuilder(256);
            b.append("{\"event\":\"start\",\"sequenceNumber\":\"").append(sequenceNumber)
                    .append("\",\"start\":{\"accountSid\":").append(quote(accountSid))
                    .append(",\"streamSid\":").append(quote(streamSid))
                    .append(",\"callSid\":").append(quote(callSid)).append(",\"tracks\":[");
            for (int i = 0; i < tracks.size(); i++) b.append(i == 0 ? "" : ",").append(quote(tracks.get(i)));
            b.append("],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}")
                    .append(",\"customParameters\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : customParameters.entrySet()) {
                b.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(quote(e.getValue()));
                first = false;
            }
            return b.append("}},\"streamSid\":").append(quote(streamSid)).append('}').toString();
        }
    }

    /** 20 ms of one track: {@code timestamp} in ms since the stream started, {@code chunk} counted per track from 1. */
    public record Media(String streamSid, String track, long chunk, long timestamp, byte[] ulaw) implements Outbound {
        @Override
        public String json(long sequenceNumber) {
            return "{\"event\":\"media\",\"sequenceNumber\":\"" + sequenceNumber + "\",\"media\":{\"track\":\""
                    + track + "\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + timestamp + "\",\"payload\":\""
                    + B64.encodeToString(ulaw) + "\"},\"streamSid\":\"" + streamSid + "\"}";
        }
    }

    /** A key the caller pressed (bidirectional streams only). */
    public record Dtmf(String streamSid, char digit) implements Outbound {
        @Override
        public String json(long sequenceNumber) {
            return "{\"event\":\"dtmf\",\"streamSid\":\"" + streamSid + "\",\"sequenceNumber\":\"" + sequenceNumber
                    + "\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":" + quote(String.valueOf(digit)) + "}}";
        }
    }

    /** The app's mark, echoed once the audio sent before it has played (or was cleared). */
    public record Mark(String streamSid, String name) implements Outbound {
        @Override
        public String json(long sequenceNumber) {
            return "{\"event\":\"mark\",\"sequenceNumber\":\"" + sequenceNumber + "\",\"streamSid\":\"" + streamSid
                    + "\",\"mark\":{\"name\":" + quote(name) + "}}";
        }
    }

    /** The last message: the stream ended (the call ended, or {@code <Stop><Stream>}). */
    public record Stop(String streamSid, String accountSid, String callSid) implements Outbound {
        @Override
        public String json(long sequenceNumber) {
            return "{\"event\":\"stop\",\"sequenceNumber\":\"" + sequenceNumber + "\",\"streamSid\":\"" + streamSid
                    + "\",\"stop\":{\"accountSid\":" + quote(accountSid) + ",\"callSid\":" + quote(callSid) + "}}";
        }
    }

    /** A message from the app. */
    public sealed interface Inbound permits AppMedia, AppMark, AppClear, Invalid {
    }

    /** Audio to play, decoded from base64. */
    public record AppMedia(byte[] ulaw) implements Inbound {
    }

    /** Echo {@code name} once the audio before it has played. */
    public record AppMark(String name) implements Inbound {
    }

    /** Drop the audio not played yet. */
    public record AppClear() implements Inbound {
    }

    /** Not a message of the protocol; {@code code} is Twilio's (31950, 31951). */
    public record Invalid(int code, String why) implements Inbound {
    }

    /**
     * Reads one text message of a bidirectional stream's app. {@code streamSid}: a message naming another stream is
     * invalid (one that names none is taken, as Twilio's own samples always name it).
     */
    public static Inbound parse(String text, String streamSid) {
        if (text.length() > MAX_APP_MESSAGE_CHARS) {
            return new Invalid(INVALID_MESSAGE, "message of " + text.length() + " characters (more than "
                    + MAX_APP_MESSAGE_CHARS + ")");
        }
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) return new Invalid(INVALID_MESSAGE, "not a JSON object");
            o = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            return new Invalid(INVALID_MESSAGE, "not JSON");
        }
        String event = string(o, "event");
        String sid = string(o, "streamSid");
        if (sid != null && !sid.equals(streamSid)) return new Invalid(INVALID_MESSAGE, "streamSid " + Printable.of(sid) + " is not this stream's");
        if (event == null) return new Invalid(INVALID_MESSAGE, "no event");
        return switch (event) {
            case "media" -> media(o);
            case "mark" -> {
                String name = o.get("mark") instanceof JsonObject m ? string(m, "name") : null;
                yield name == null ? new Invalid(INVALID_MESSAGE, "mark without mark.name") : new AppMark(name);
            }
            case "clear" -> new AppClear();
            default -> new Invalid(INVALID_MESSAGE, "unknown event " + Printable.of(event));
        };
    }

    private static Inbound media(JsonObject o) {
        String payload = o.get("media") instanceof JsonObject m ? string(m, "payload") : null;
        if (payload == null) return new Invalid(INVALID_MESSAGE, "media without media.payload");
        try {
            return new AppMedia(base64(payload));
        } catch (IllegalArgumentException e) {
            return new Invalid(INVALID_MESSAGE, "media.payload is not base64");
        }
    }

    /**
     * An app's base64 as the encoders apps use write it: canonical (the fast path), or with line breaks or spaces
     * (MIME, Python's {@code encodebytes}), without its padding, or in the URL-safe alphabet ({@code -_}). Any other
     * character is refused (IllegalArgumentException): garbage is not played as noise.
     */
    static byte[] base64(String s) {
        try {
            return B64D.decode(s);
        } catch (IllegalArgumentException strict) {
            StringBuilder b = new StringBuilder(s.length() + 3);
            boolean standard = false;
            boolean urlSafe = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case ' ', '\t', '\r', '\n' -> { }
                    case '-' -> {
                        urlSafe = true;
                        b.append('+');
                    }
                    case '_' -> {
                        urlSafe = true;
                        b.append('/');
                    }
                    default -> {
                        if (c == '+' || c == '/') standard = true;
                        b.append(c);
                    }
                }
            }
            if (standard && urlSafe) throw strict; // no encoder mixes the two alphabets: garbage
            int end = b.length();
            while (end > 0 && b.charAt(end - 1) == '=') end--;
            b.setLength(end);
            if (end % 4 == 1 || end == 0) throw strict; // end == 0: nothing but padding and spaces
            while (b.length() % 4 != 0) b.append('=');
            return B64D.decode(b.toString());
        }
    }

    /** A string member, or null when absent or not a string. */
    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
