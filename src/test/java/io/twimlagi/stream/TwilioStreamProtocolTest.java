package io.twimlagi.stream;

import com.google.gson.JsonParser;
import io.twimlagi.stream.TwilioStreamProtocol.AppClear;
import io.twimlagi.stream.TwilioStreamProtocol.AppMark;
import io.twimlagi.stream.TwilioStreamProtocol.AppMedia;
import io.twimlagi.stream.TwilioStreamProtocol.Inbound;
import io.twimlagi.stream.TwilioStreamProtocol.Invalid;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Each message against the example of Twilio's documentation (twilio.com/docs/voice/media-streams/websocket-messages),
 * compared as JSON values (member order aside).
 */
class TwilioStreamProtocolTest {
    static final String SID = "MZ18ad3ab5a668481ce02b83e7395059f0";
    static final String ACCOUNT = "AC25e16e9a716a4a1786a7c83f58e30482";
    static final String CALL = "CA3f4d4d5fc0bb0a3c8c8ea0ad9f5ac1c1";

    private static void sameJson(String expected, String actual) {
        assertEquals(JsonParser.parseString(expected), JsonParser.parseString(actual), actual);
    }

    @Test
    void connected() {
        sameJson("{\"event\": \"connected\", \"protocol\": \"Call\", \"version\": \"1.0.0\"}",
                new TwilioStreamProtocol.Connected().json(0));
    }

    @Test
    void start() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("FirstName", "Jane");
        params.put("LastName", "Doe");
        params.put("RemoteParty", "Bob");
        sameJson("""
                {"event": "start", "sequenceNumber": "1",
                 "start": {"accountSid": "%s", "streamSid": "%s", "callSid": "%s", "tracks": ["inbound", "outbound"],
                           "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
                           "customParameters": {"FirstName": "Jane", "LastName": "Doe", "RemoteParty": "Bob"}},
                 "streamSid": "%s"}""".formatted(ACCOUNT, SID, CALL, SID),
                new TwilioStreamProtocol.Start(SID, ACCOUNT, CALL, List.of("inbound", "outbound"), params).json(1));
    }

    @Test
    void media() {
        byte[] ulaw = {(byte) 0x9e, 0x7d, (byte) 0xff, 0x01};
        sameJson("""
                {"event": "media", "sequenceNumber": "3",
                 "media": {"track": "outbound", "chunk": "1", "timestamp": "5", "payload": "%s"},
                 "streamSid": "%s"}""".formatted(Base64.getEncoder().encodeToString(ulaw), SID),
                new TwilioStreamProtocol.Media(SID, "outbound", 1, 5, ulaw).json(3));
    }

    @Test
    void dtmf() {
        sameJson("""
                {"event": "dtmf", "streamSid": "%s", "sequenceNumber": "5",
                 "dtmf": {"track": "inbound_track", "digit": "1"}}""".formatted(SID),
                new TwilioStreamProtocol.Dtmf(SID, '1').json(5));
    }

    @Test
    void markEchoKeepsAnyName() {
        sameJson("""
                {"event": "mark", "sequenceNumber": "4", "streamSid": "%s", "mark": {"name": "my label \\"q\\" \\n é"}}"""
                        .formatted(SID),
                new TwilioStreamProtocol.Mark(SID, "my label \"q\" \n é").json(4));
    }

    @Test
    void stop() {
        sameJson("""
                {"event": "stop", "sequenceNumber": "5", "streamSid": "%s",
                 "stop": {"accountSid": "%s", "callSid": "%s"}}""".formatted(SID, ACCOUNT, CALL),
                new TwilioStreamProtocol.Stop(SID, ACCOUNT, CALL).json(5));
    }

    @Test
    void theAppsDocumentedMessages() {
        Inbound media = TwilioStreamProtocol.parse("""
                {"event": "media", "streamSid": "%s", "media": {"payload": "AAEC/w=="}}""".formatted(SID), SID);
        assertArrayEquals(new byte[] {0, 1, 2, -1}, assertInstanceOf(AppMedia.class, media).ulaw());
        Inbound mark = TwilioStreamProtocol.parse("""
                {"event": "mark", "streamSid": "%s", "mark": {"name": "my label"}}""".formatted(SID), SID);
        assertEquals("my label", assertInstanceOf(AppMark.class, mark).name());
        assertInstanceOf(AppClear.class, TwilioStreamProtocol.parse("{\"event\":\"clear\",\"streamSid\":\"" + SID
                + "\"}", SID));
        assertInstanceOf(AppClear.class, TwilioStreamProtocol.parse("{\"event\":\"clear\"}", SID),
                "a message that names no stream is taken");
    }

    @Test
    void badInputIsInvalidWithTwiliosCode() {
        for (String bad : List.of("not json", "[1,2]", "\"media\"", "{}", "{\"event\":\"hello\"}",
                "{\"event\":\"media\",\"media\":{}}", "{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}",
                "{\"event\":\"mark\",\"mark\":{}}", "{\"event\":\"clear\",\"streamSid\":\"MZother\"}", "{\"event\":")) {
            Invalid i = assertInstanceOf(Invalid.class, TwilioStreamProtocol.parse(bad, SID), bad);
            assertEquals(31951, i.code(), bad);
        }
    }

    @Test
    void base64AsAppsEncodersWriteItIsAccepted() {
        byte[] audio = new byte[200];
        for (int i = 0; i < audio.length; i++) audio[i] = (byte) (i * 37);
        String mime = Base64.getMimeEncoder().encodeToString(audio); // CRLF every 76 characters
        assertTrue(mime.contains("\r\n"));
        String python = mime.replace("\r\n", "\n") + "\n"; // base64.encodebytes
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(audio);
        String urlSafe = Base64.getUrlEncoder().encodeToString(audio);
        for (String payload : List.of(mime, python, unpadded, urlSafe, " " + unpadded + " ")) {
            String json = "{\"event\":\"media\",\"media\":{\"payload\":" + TwilioStreamProtocol.quote(payload) + "}}";
            AppMedia m = assertInstanceOf(AppMedia.class, TwilioStreamProtocol.parse(json, SID), payload);
            assertArrayEquals(audio, m.ulaw(), payload);
        }
        for (String bad : List.of("AAA%", "A", "AAAAA", "AA=A", "AA\u0000A")) {
            assertThrows(IllegalArgumentException.class, () -> TwilioStreamProtocol.base64(bad), bad);
        }
    }

    @Test
    void base64MixingTheTwoAlphabetsOrMadeOfPaddingAloneIsRefused() {
        for (String bad : List.of("ab+-", "ab/_", "+A-A", "==", "====", " = ", "\r\n==")) {
            assertThrows(IllegalArgumentException.class, () -> TwilioStreamProtocol.base64(bad), bad);
        }
        assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff}, TwilioStreamProtocol.base64("-_8"));
        assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff}, TwilioStreamProtocol.base64("+/8=\n"));
    }

    @Test
    void anAppsStringsInWarningsCannotForgeLogLines() {
        Invalid unknown = assertInstanceOf(Invalid.class,
                TwilioStreamProtocol.parse("{\"event\":\"x\\n2026-12-03T11:00:00.000 ERROR forged\"}", SID));
        assertFalse(unknown.why().contains("\n"), unknown.why());
        assertTrue(unknown.why().contains("x\\n2026"), unknown.why());
        Invalid other = assertInstanceOf(Invalid.class,
                TwilioStreamProtocol.parse("{\"event\":\"clear\",\"streamSid\":\"MZ\\r\\u001b[2J\"}", SID));
        assertFalse(other.why().chars().anyMatch(c -> c < 0x20), other.why());
    }

    @Test
    void aMessageOverTheLimitIsRefusedBeforeBeingParsed() {
        String huge = "{\"event\":\"media\",\"media\":{\"payload\":\"" + "A".repeat(10 * 1024 * 1024) + "\"}}";
        Invalid i = assertInstanceOf(Invalid.class, TwilioStreamProtocol.parse(huge, SID));
        assertEquals(31951, i.code());
    }
}
