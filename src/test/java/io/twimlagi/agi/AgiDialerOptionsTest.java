package io.twimlagi.agi;

import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialRecording;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AgiDialer's Dial options for the answered-leg routine (U), our ringback (r) and MixMonitor's arguments. */
class AgiDialerOptionsTest {
    static final List<DialLeg> ONE = List.of(new DialLeg("PJSIP/trunk/sip:bob@h", Map.of(), true));

    static DialRequest request(String token, DialRecording rec, String ringTone, boolean hangupOnStar) {
        return new DialRequest(ONE, Duration.ofSeconds(20), Duration.ofSeconds(60), null, hangupOnStar, token,
                rec, ringTone);
    }

    @Test
    void theEightArgumentRequestWithNothingExtraIsThePlainDial() {
        assertEquals("PJSIP/trunk/sip:bob@h,20,gb(twiml-dial-leg^s^1)L(60000)",
                AgiDialer.dialArgs(request(null, null, null, false)));
        assertEquals(AgiDialer.dialArgs(new DialRequest(ONE, Duration.ofSeconds(20), Duration.ofSeconds(60),
                null, false)), AgiDialer.dialArgs(request(null, null, null, false)));
    }

    @Test
    void watchedLegsRunThePreDialHandlerThatCallsTheServerWithTheToken() {
        String token = "0123456789abcdef01234567";
        DialRequest r = new DialRequest(ONE, Duration.ofSeconds(20), Duration.ofSeconds(60), null, false,
                token, null, null, token);
        assertEquals("PJSIP/trunk/sip:bob@h,20,gb(twiml-dial-leg^watch^1(" + token + "))L(60000)"
                + "U(twiml-dial-answered^" + token + ")", AgiDialer.dialArgs(r));
        // without a token there is nothing to report to: the plain handler
        assertEquals("PJSIP/trunk/sip:bob@h,20,gb(twiml-dial-leg^s^1)L(60000)", AgiDialer.dialArgs(
                new DialRequest(ONE, Duration.ofSeconds(20), Duration.ofSeconds(60), null, false, null, null,
                        null, null)));
        // a watch without an answered-leg routine (an outbound REST call's leg)
        assertEquals("PJSIP/trunk/sip:bob@h,20,gb(twiml-dial-leg^watch^1(" + token + "))L(60000)",
                AgiDialer.dialArgs(new DialRequest(ONE, Duration.ofSeconds(20), Duration.ofSeconds(60), null, false,
                        null, null, null, token)));
        assertThrows(IllegalArgumentException.class, () -> AgiDialer.dialArgs(new DialRequest(ONE,
                Duration.ofSeconds(20), Duration.ofSeconds(60), null, false, null, null, null, "a)b")));
    }

    @Test
    void anAnsweredTokenRunsTheAnsweredRoutineWithIt() {
        String token = "0123456789abcdef01234567";
        assertEquals("PJSIP/trunk/sip:bob@h,20,gb(twiml-dial-leg^s^1)L(60000)U(twiml-dial-answered^" + token + ")",
                AgiDialer.dialArgs(request(token, null, null, false)));
        assertEquals("twiml-dial-answered", AgiDialer.ANSWERED_HANDLER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc)", "a^b", "a,b", "a b", "a|b", "a}${SHELL(id)}", "a\nb",
            "0123456789012345678901234567890123456789x"})
    void aTokenThatIsNotShortAlphanumericIsRefused(String token) {
        assertThrows(IllegalArgumentException.class, () -> AgiDialer.dialArgs(request(token, null, null, false)));
    }

    @Test
    void aFortyCharacterTokenIsTheLongestAccepted() {
        String token = "a".repeat(40);
        assertTrue(AgiDialer.dialArgs(request(token, null, null, false)).endsWith("U(twiml-dial-answered^" + token
                + ")"));
    }

    @Test
    void aRingToneAddsOptionR() {
        String args = AgiDialer.dialArgs(request(null, null, "uk", false));
        assertEquals("PJSIP/trunk/sip:bob@h,20,gb(twiml-dial-leg^s^1)L(60000)r", args);
        assertFalse(AgiDialer.dialArgs(request(null, null, null, false)).endsWith("r"));
    }

    @Test
    void allOptionsTogether() {
        assertEquals("PJSIP/trunk/sip:bob@h,20,gb(twiml-dial-leg^s^1)L(60000)HrU(twiml-dial-answered^tok1)",
                AgiDialer.dialArgs(request("tok1", null, "us-old", true)));
    }

    @Test
    void recordFromAnswerOnlyRecordsWhileBridged() {
        assertEquals("/var/lib/twiml-agi/recordings/RE01.wav,b",
                AgiDialer.mixMonitorArgs(new DialRecording("/var/lib/twiml-agi/recordings/RE01.wav", false,
                        false)));
    }

    @Test
    void recordFromRingingHasNoOptions() {
        assertEquals("/var/lib/twiml-agi/recordings/RE01.wav",
                AgiDialer.mixMonitorArgs(new DialRecording("/var/lib/twiml-agi/recordings/RE01.wav", true,
                        false)));
    }

    @Test
    void dualWritesTwoChannelsRaw() {
        assertEquals("/var/lib/twiml-agi/recordings/RE01.raw,bD",
                AgiDialer.mixMonitorArgs(new DialRecording("/var/lib/twiml-agi/recordings/RE01.raw", false,
                        true)));
        assertEquals("/var/lib/twiml-agi/recordings/RE01.raw,D",
                AgiDialer.mixMonitorArgs(new DialRecording("/var/lib/twiml-agi/recordings/RE01.raw", true,
                        true)));
    }

    @Test
    void dualAndTheExtensionMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> AgiDialer.mixMonitorArgs(
                new DialRecording("/var/lib/twiml-agi/recordings/RE01.wav", false, true)));
        assertThrows(IllegalArgumentException.class, () -> AgiDialer.mixMonitorArgs(
                new DialRecording("/var/lib/twiml-agi/recordings/RE01.raw", false, false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/twiml-agi/../../etc/x.wav", "/var/lib/a,b.wav", "var/lib/RE01.wav",
            "RE01.wav", "/var/lib/my file.wav", "/var/lib/RE01.gsm", "/var/lib/RE01.wav,x", "/var/lib/x)}.wav",
            "/var/lib/RE01.wav\n"})
    void unsafeRecordingFilesAreRefused(String file) {
        assertThrows(IllegalArgumentException.class,
                () -> AgiDialer.mixMonitorArgs(new DialRecording(file, false, false)));
    }
}
