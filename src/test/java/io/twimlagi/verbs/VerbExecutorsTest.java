package io.twimlagi.verbs;

import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.VerbDispatch;
import io.twimlagi.media.ToneTts;
import io.twimlagi.server.Services;
import io.twimlagi.server.TestServices;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.Document;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import io.twimlagi.twiml.Verb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each executor against an in-memory call. */
class VerbExecutorsTest {
    @TempDir
    Path media;
    final ToneTts tts = new ToneTts();
    final FakeCall call = new FakeCall();
    Services services;
    VerbDispatch executors;
    CallContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        services = TestServices.build(media, "/ast/media", tts);
        executors = services.verbs();
        Domain domain = new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr/main.xml",
                HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
        SipInvite invite = new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4",
                Map.of());
        ctx = new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16), invite, domain);
    }

    @AfterEach
    void tearDown() {
        services.close();
    }

    Verb verb(String xml) throws Exception {
        Document d = TwimlParser.parse(("<Response>" + xml + "</Response>").getBytes(StandardCharsets.UTF_8));
        return d.verbs().get(0);
    }

    Outcome run(String xml) throws Exception {
        return executors.execute(verb(xml), ctx);
    }

    @Test
    void sayLoopsAndCachesOneSynthesis() throws Exception {
        call.answer();
        assertEquals(Outcome.NEXT, run("<Say loop=\"3\">Hello there</Say>"));
        assertEquals(3, call.events.stream().filter(e -> e.startsWith("play /ast/media/tts/")).count());
        assertEquals(List.of("Hello there"), tts.spoken);
        run("<Say>Hello there</Say>");
        assertEquals(1, tts.spoken.size(), "second Say of the same text comes from the cache");
        run("<Say voice=\"alice\">Hello there</Say>");
        assertEquals(2, tts.spoken.size(), "another voice is another prompt");
    }

    @Test
    void sayHonoursSsmlBreaks() throws Exception {
        call.answer();
        run("<Say>One <break time=\"700ms\"/> two</Say>");
        assertEquals(List.of("One", "two"), tts.spoken);
        assertTrue(call.events.get(1).startsWith("play "));
        assertEquals("pause 700ms", call.events.get(2));
        assertTrue(call.events.get(3).startsWith("play "));
    }

    @Test
    void sayLoopZeroIsCappedAtTwilioLimit() throws Exception {
        call.answer();
        run("<Say loop=\"0\">x</Say>");
        assertEquals(Loops.UNTIL_HANGUP_CAP, call.events.stream().filter(e -> e.startsWith("play")).count());
    }

    @Test
    void sayOverTheLimitIsSkippedNotCrashed() throws Exception {
        call.answer();
        assertEquals(Outcome.NEXT, run("<Say>" + "a".repeat(Prompts.MAX_SAY_CHARS + 1) + "</Say>"));
        assertEquals(List.of("answer"), call.events);
        assertTrue(tts.spoken.isEmpty());
    }

    @Test
    void pauseWaitsItsLength() throws Exception {
        assertEquals(Outcome.NEXT, run("<Pause length=\"3\"/>"));
        assertEquals(List.of("pause 3000ms"), call.events);
        assertFalse(call.isAnswered());
    }

    @Test
    void rejectBeforeAnswerSendsTheSipCodeAfterAnswerHangsUp() throws Exception {
        assertEquals(Outcome.END, run("<Reject reason=\"busy\"/>"));
        assertEquals(List.of("reject 486"), call.events);
        FakeCall answered = new FakeCall();
        answered.answer();
        CallContext c2 = new CallContext(answered, ctx.callSid(), "AC" + "22".repeat(16), ctx.invite(), ctx.domain());
        assertEquals(Outcome.END, executors.execute(verb("<Reject/>"), c2));
        assertEquals(List.of("answer", "hangup"), answered.events);
    }

    @Test
    void hangupEnds() throws Exception {
        assertEquals(Outcome.END, run("<Hangup/>"));
        assertEquals(List.of("hangup"), call.events);
    }

    @Test
    void redirectResolvesAgainstTheCurrentDocument() throws Exception {
        Outcome o = run("<Redirect method=\"GET\">../next.xml?a=1</Redirect>");
        assertEquals(new Outcome.Navigate("https://app.example.com/next.xml?a=1", HttpMethod.GET, Map.of()), o);
        assertEquals(new Outcome.Navigate("https://app.example.com/ivr/main.xml", HttpMethod.POST, Map.of()),
                run("<Redirect/>"));
        assertTrue(call.events.isEmpty(), "Redirect touches nothing on the call");
    }

    @Test
    void playDigitsAndFileUrls() throws Exception {
        call.answer();
        run("<Play digits=\"12w#\"/>");
        assertEquals("dtmf 12w#", call.events.get(1));
        Path wav = media.resolve("greeting.wav");
        Files.write(wav, ToneTts.wav(22050, 1, 0.5, 500));
        assertEquals(Outcome.NEXT, run("<Play loop=\"2\">" + wav.toUri() + "</Play>"));
        assertEquals(0, call.events.stream().filter(e -> e.startsWith("play ")).count(),
                "an https document never plays a local file");
        Domain files = new Domain("files.example.com", "SD" + "00".repeat(16), media.resolve("main.xml").toUri()
                .toString(), HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
        ctx = new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16), ctx.invite(), files);
        run("<Play loop=\"2\">greeting.wav</Play>");
        assertEquals(2, call.events.stream().filter(e -> e.startsWith("play /ast/media/play/")).count(),
                "a file: document plays the files below its folder");
    }

    @Test
    void supportedVerbsAreTheOnesWithAnExecutor() throws Exception {
        Document d = TwimlParser.parse(("<Response><Say>a</Say><Play>a.wav</Play><Pause/><Gather/><Record/>"
                + "<Dial>123</Dial><Hangup/><Redirect>/x</Redirect><Reject/><Refer><Sip>sip:a@b</Sip></Refer>"
                + "<Enqueue>q</Enqueue><Leave/><Connect/><Start/><Stop/><Pay/><Sms>t</Sms><Echo/></Response>")
                .getBytes(StandardCharsets.UTF_8));
        List<String> supported = d.verbs().stream().filter(executors::supports).map(Verb::name).toList();
        assertEquals(List.of("Say", "Play", "Pause", "Gather", "Record", "Dial", "Hangup", "Redirect", "Reject",
                "Refer", "Enqueue", "Leave", "Connect", "Start", "Stop"), supported);
        for (Verb v : d.verbs()) {
            if (executors.supports(v)) continue;
            FakeCall fresh = new FakeCall();
            CallContext c = new CallContext(fresh, ctx.callSid(), "AC" + "22".repeat(16), ctx.invite(), ctx.domain());
            assertEquals(Outcome.END, executors.execute(v, c), v.name());
            assertEquals(List.of("reject 500"), fresh.events, v.name());
        }
    }

    @Test
    void verbsNotYetExecutedEndTheCallWithAnError() throws Exception {
        assertFalse(executors.supports(verb("<Pay/>")));
        assertTrue(executors.supports(verb("<Enqueue>support</Enqueue>")));
        assertEquals(Outcome.END, run("<Connect><ConversationRelay url=\"wss://example.com/s\"/></Connect>"));
        assertEquals(List.of("reject 500"), call.events);
    }

    @Test
    void aStreamThatCannotOpenIsSkippedNotAnApplicationError() throws Exception {
        assertEquals(Outcome.NEXT, run("<Connect><Stream url=\"ftp://example.com/s\"/></Connect>"));
        assertEquals(Outcome.NEXT, run("<Start><Stream url=\"ftp://example.com/s\"/></Start>"));
        assertEquals(Outcome.NEXT, run("<Stop><Stream name=\"none\"/></Stop>"));
        assertEquals(List.of("answer"), call.events, "answered, nothing else asked of Asterisk");
    }
}
