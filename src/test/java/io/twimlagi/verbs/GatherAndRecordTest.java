package io.twimlagi.verbs;

import io.twimlagi.call.Recorded;
import io.twimlagi.call.Recorded.RecordEnd;
import io.twimlagi.config.Domain;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.VerbDispatch;
import io.twimlagi.media.ToneTts;
import io.twimlagi.server.Services;
import io.twimlagi.server.TestServices;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gather and Record executors against an in-memory call. */
class GatherAndRecordTest {
    @TempDir
    Path media;
    final FakeCall call = new FakeCall();
    Services services;
    VerbDispatch executors;
    CallContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        services = TestServices.build(media, media.toString(), new ToneTts()); // Asterisk sees the same folder
        executors = services.verbs();
        Domain domain = new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr",
                HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
        ctx = new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                domain);
        call.answer();
    }

    @AfterEach
    void tearDown() {
        services.close();
    }

    Outcome run(String xml) throws Exception {
        return executors.execute(TwimlParser.parse(("<Response>" + xml + "</Response>")
                .getBytes(StandardCharsets.UTF_8)).verbs().get(0), ctx);
    }

    @Test
    void firstKeyStopsThePromptsAndCounts() throws Exception {
        call.pressAfterwards('1').pressAfterwards('2').pressAfterwards('#');
        Outcome o = run("<Gather action=\"next\"><Say>one</Say><Say>two</Say></Gather>");
        assertEquals(new Outcome.Navigate("https://app.example.com/next", HttpMethod.POST,
                Map.of("Digits", "12", "FinishedOnKey", "#")), o);
        // the first Say was interrupted, the second never played, then two key waits of 5 s
        assertEquals(1, call.events.stream().filter(e -> e.startsWith("play ")).count(), call.events.toString());
        assertTrue(call.events.get(1).endsWith("stop=" + GatherExecutor.ALL_KEYS), call.events.toString());
        assertEquals(List.of("wait-digit 5000ms", "wait-digit 5000ms"), call.events.subList(2, 4));
    }

    @Test
    void numDigitsAndTimeoutAndDefaultAction() throws Exception {
        call.pressAfterwards((char) 0).pressAfterwards('9').pressAfterwards('8');
        Outcome o = run("<Gather numDigits=\"2\" timeout=\"3\" method=\"GET\"><Pause length=\"2\"/></Gather>");
        assertEquals(new Outcome.Navigate("https://app.example.com/ivr", HttpMethod.GET,
                Map.of("Digits", "98", "FinishedOnKey", "")), o);
        assertEquals(List.of("answer", "wait-digit 2000ms", "wait-digit 3000ms", "wait-digit 3000ms"), call.events);
    }

    @Test
    void nothingEnteredIsNextOrActionOnEmptyResult() throws Exception {
        assertEquals(Outcome.NEXT, run("<Gather timeout=\"1\"/>"));
        Outcome o = run("<Gather timeout=\"1\" actionOnEmptyResult=\"true\" action=\"/e\"/>");
        assertEquals(Map.of("Digits", "", "FinishedOnKey", ""), ((Outcome.Navigate) o).extraParams());
        call.pressAfterwards('#');
        assertEquals(Outcome.NEXT, run("<Gather/>"), "the finish key alone is no input");
    }

    @Test
    void emptyFinishOnKeyMakesHashADigit() throws Exception {
        call.pressAfterwards('#').pressAfterwards('1');
        Outcome o = run("<Gather finishOnKey=\"\" numDigits=\"2\"/>");
        assertEquals("#1", ((Outcome.Navigate) o).extraParams().get("Digits"));
    }

    @Test
    void recordReportsTheServedRecording() throws Exception {
        call.recordedAudio = ToneTts.wav(8000, 1, 2.0, 400);
        call.nextRecording = new Recorded(RecordEnd.KEY, '#');
        Outcome o = run("<Record action=\"/done\" maxLength=\"30\" timeout=\"4\" finishOnKey=\"#*\"/>");
        Outcome.Navigate nav = assertInstanceOf(Outcome.Navigate.class, o);
        assertEquals("https://app.example.com/done", nav.url());
        String sid = nav.extraParams().get("RecordingSid");
        assertTrue(sid.matches("RE[0-9a-f]{32}"), sid);
        assertEquals("http://127.0.0.1:8089/Recordings/" + sid, nav.extraParams().get("RecordingUrl"));
        assertEquals("2", nav.extraParams().get("RecordingDuration"));
        assertEquals("#", nav.extraParams().get("Digits"));
        assertTrue(call.events.get(1).startsWith("play " + media + "/tones/beep"), call.events.toString());
        assertTrue(call.events.get(2).matches("record " + media + "/recordings/RE[0-9a-f]{32} max=30s silence=4s "
                + "keys=#\\*"), call.events.get(2));
    }

    @Test
    void hangupWhileRecordingStillRequestsTheAction() throws Exception {
        call.recordedAudio = ToneTts.wav(8000, 1, 1.5, 400);
        call.nextRecording = new Recorded(RecordEnd.HANGUP, (char) 0);
        Outcome.Navigate nav = (Outcome.Navigate) run("<Record playBeep=\"false\"/>");
        assertEquals("hangup", nav.extraParams().get("Digits"));
        assertEquals("https://app.example.com/ivr", nav.url());
        assertTrue(call.isGone());
        assertEquals("completed", ctx.params().get("CallStatus"));
    }

    @Test
    void emptyRecordingSkipsTheAction() throws Exception {
        call.recordedAudio = ToneTts.wav(8000, 1, 2.0, 0); // silence
        assertEquals(Outcome.NEXT, run("<Record action=\"/done\"/>"));
    }

    /** Found by ArgumentFuzzTest: recordingStatusCallback="javascript:..." made the Record throw. */
    @Test
    void anUnusableRecordingStatusCallbackStillRequestsTheAction() throws Exception {
        call.recordedAudio = ToneTts.wav(8000, 1, 2.0, 400);
        Outcome o = run("<Record action=\"/done\" recordingStatusCallback=\"javascript:alert(1)\"/>");
        assertEquals("https://app.example.com/done", assertInstanceOf(Outcome.Navigate.class, o).url());
    }
}
