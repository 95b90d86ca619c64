package io.twimlagi.twiml;

import static io.twimlagi.twiml.TwimlTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Client;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Echo;
import com.twilio.twiml.voice.Enqueue;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Identity;
import com.twilio.twiml.voice.Leave;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Queue;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Refer;
import com.twilio.twiml.voice.ReferSip;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import com.twilio.twiml.voice.Siprec;
import com.twilio.twiml.voice.SsmlBreak;
import com.twilio.twiml.voice.SsmlEmphasis;
import com.twilio.twiml.voice.SsmlProsody;
import com.twilio.twiml.voice.Start;
import com.twilio.twiml.voice.Stop;
import com.twilio.twiml.voice.Stream;
import com.twilio.twiml.voice.Task;
import com.twilio.twiml.voice.Transcription;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Documents produced by Twilio's own Java helper library must parse without errors or schema warnings. */
class TwilioHelperLibraryCompatTest {

    private static Document clean(VoiceResponse response) throws TwimlException {
        String xml = response.toXml();
        List<Problem> problems = TwimlParser.check(bytes(xml));
        assertEquals(List.of(), problems, () -> "problems for\n" + xml);
        return TwimlParser.parse(bytes(xml));
    }

    @Test
    void sayWithSsml() throws Exception {
        Say say = new Say.Builder("Hello").voice(Say.Voice.POLLY_JOANNA).language(Say.Language.EN_US).loop(2)
                .break_(new SsmlBreak.Builder().time("750ms").strength(SsmlBreak.Strength.WEAK).build())
                .emphasis(new SsmlEmphasis.Builder("important").level(SsmlEmphasis.Level.STRONG).build())
                .prosody(new SsmlProsody.Builder("slowly").rate("slow").pitch("low").volume("soft").build())
                .build();
        Document d = clean(new VoiceResponse.Builder().say(say).say(new Say.Builder("Plain").build()).build());
        io.twimlagi.twiml.Say s = (io.twimlagi.twiml.Say) d.verbs().get(0);
        assertEquals("Polly.Joanna", s.voice());
        assertEquals("en-US", s.language());
        assertEquals(2, s.loop());
        assertTrue(s.text().startsWith("Hello"), s.text());
        assertTrue(s.text().contains("important") && s.text().contains("slowly"), s.text());
        assertTrue(s.parts().contains(new SayPart.Break(Duration.ofMillis(750))), s.parts()::toString);
    }

    @Test
    void playPauseHangupRedirectReject() throws Exception {
        Document d = clean(new VoiceResponse.Builder()
                .play(new Play.Builder("https://x.test/a.mp3").loop(3).build())
                .play(new Play.Builder().digits("wwww1234#").build())
                .pause(new Pause.Builder().length(4).build())
                .redirect(new Redirect.Builder("/next").method(HttpMethod.GET).build())
                .reject(new Reject.Builder().reason(Reject.Reason.BUSY).build())
                .hangup(new Hangup.Builder().build())
                .build());
        assertEquals(6, d.verbs().size());
        assertEquals("wwww1234#", ((io.twimlagi.twiml.Play) d.verbs().get(1)).digits());
        assertEquals(4, ((io.twimlagi.twiml.Pause) d.verbs().get(2)).length());
        assertEquals(io.twimlagi.twiml.HttpMethod.GET, ((io.twimlagi.twiml.Redirect) d.verbs().get(3)).method());
        assertEquals(io.twimlagi.twiml.Reject.Reason.BUSY, ((io.twimlagi.twiml.Reject) d.verbs().get(4)).reason());
    }

    @Test
    void gatherWithEverything() throws Exception {
        Gather g = new Gather.Builder().inputs(List.of(Gather.Input.DTMF, Gather.Input.SPEECH)).action("/g")
                .method(HttpMethod.GET).timeout(7).speechTimeout("auto").maxSpeechTime(20).profanityFilter(false)
                .finishOnKey("*").numDigits(3).partialResultCallback("/partial")
                .partialResultCallbackMethod(HttpMethod.GET).language(Gather.Language.FR_FR).hints("yes, no")
                .bargeIn(false).debug(true).actionOnEmptyResult(true).speechModel("phone_call").enhanced(true)
                .say(new Say.Builder("Choose").voice(Say.Voice.WOMAN).build())
                .play(new Play.Builder("/a.wav").build())
                .pause(new Pause.Builder().length(2).build())
                .build();
        Document d = clean(new VoiceResponse.Builder().gather(g).build());
        io.twimlagi.twiml.Gather pg = (io.twimlagi.twiml.Gather) d.verbs().get(0);
        assertEquals(3, pg.prompts().size());
        assertEquals(2, pg.input().size());
        assertEquals("fr-FR", pg.language());
        assertEquals(3, pg.numDigits());
        assertEquals("*", pg.finishOnKey());
    }

    @Test
    void recordWithEverything() throws Exception {
        Record r = new Record.Builder().action("/r").method(HttpMethod.GET).timeout(3).finishOnKey("#")
                .maxLength(60).playBeep(false).trim(Record.Trim.DO_NOT_TRIM).recordingStatusCallback("/rs")
                .recordingStatusCallbackMethod(HttpMethod.GET)
                .recordingStatusCallbackEvents(List.of(Record.RecordingEvent.IN_PROGRESS, Record.RecordingEvent.COMPLETED,
                        Record.RecordingEvent.ABSENT))
                .transcribe(true).transcribeCallback("/tc").build();
        Document d = clean(new VoiceResponse.Builder().record(r).build());
        io.twimlagi.twiml.Record pr = (io.twimlagi.twiml.Record) d.verbs().get(0);
        assertEquals(3, pr.recordingStatusCallbackEvent().size());
        assertEquals(60, pr.maxLength());
        assertEquals(Trim.DO_NOT_TRIM, pr.trim());
    }

    @Test
    void dialWithAllNouns() throws Exception {
        Number number = new Number.Builder("+15551234567").sendDigits("ww123").url("/screen").method(HttpMethod.GET)
                .statusCallbackEvents(List.of(Number.Event.INITIATED, Number.Event.RINGING, Number.Event.ANSWERED,
                        Number.Event.COMPLETED))
                .statusCallback("/sc").statusCallbackMethod(HttpMethod.GET).byoc("BY123")
                .machineDetection("Enable").amdStatusCallback("/amd").amdStatusCallbackMethod(HttpMethod.GET)
                .machineDetectionTimeout(10).machineDetectionSpeechThreshold(2400)
                .machineDetectionSpeechEndThreshold(1200).machineDetectionSilenceTimeout(5000).build();
        Sip sip = new Sip.Builder("sip:bob@example.com?X-Foo=bar&X-Baz=1").username("u").password("p").url("/s")
                .method(HttpMethod.GET).statusCallbackEvents(Sip.Event.ANSWERED).statusCallback("/ss")
                .statusCallbackMethod(HttpMethod.GET).machineDetection("DetectMessageEnd").amdStatusCallback("/a")
                .amdStatusCallbackMethod(HttpMethod.POST).machineDetectionTimeout(30)
                .machineDetectionSpeechThreshold(2400).machineDetectionSpeechEndThreshold(1200)
                .machineDetectionSilenceTimeout(5000).build();
        Client client = new Client.Builder().identity(new Identity.Builder("alice").build())
                .parameter(new Parameter.Builder().name("k").value("v").build()).url("/c").method(HttpMethod.GET)
                .statusCallbackEvents(Client.Event.RINGING).statusCallback("/cs").statusCallbackMethod(HttpMethod.GET)
                .build();
        Dial dial = new Dial.Builder().action("/d").method(HttpMethod.GET).timeout(20).hangupOnStar(true)
                .timeLimit(600).callerId("+15550000000").record(Dial.Record.RECORD_FROM_ANSWER_DUAL)
                .trim(Dial.Trim.TRIM_SILENCE).recordingStatusCallback("/rs").recordingStatusCallbackMethod(HttpMethod.GET)
                .recordingStatusCallbackEvents(Dial.RecordingEvent.COMPLETED).answerOnBridge(true)
                .ringTone(Dial.RingTone.UK).recordingTrack(Dial.RecordingTrack.INBOUND).sequential(true)
                .referUrl("/refer").referMethod(HttpMethod.GET).events(Dial.Events.CALL_PROGRESS_EVENT)
                .number(number).sip(sip).client(client).build();
        Conference conf = new Conference.Builder("Room 1").muted(true).beep(Conference.Beep.ONEXIT)
                .startConferenceOnEnter(false).endConferenceOnExit(true).waitUrl("/wait").waitMethod(HttpMethod.GET)
                .maxParticipants(12).record(Conference.Record.RECORD_FROM_START).region(Conference.Region.DE1)
                .coach("CA123").trim(Conference.Trim.DO_NOT_TRIM)
                .statusCallbackEvents(List.of(Conference.Event.START, Conference.Event.END, Conference.Event.JOIN,
                        Conference.Event.LEAVE, Conference.Event.MUTE, Conference.Event.HOLD, Conference.Event.MODIFY,
                        Conference.Event.SPEAKER, Conference.Event.ANNOUNCEMENT))
                .statusCallback("/cs").statusCallbackMethod(HttpMethod.GET).recordingStatusCallback("/crs")
                .recordingStatusCallbackMethod(HttpMethod.GET)
                .recordingStatusCallbackEvents(Conference.RecordingEvent.IN_PROGRESS).eventCallbackUrl("/ev")
                .jitterBufferSize(Conference.JitterBufferSize.OFF).participantLabel("agent").build();
        Queue queue = new Queue.Builder("support").url("/q").method(HttpMethod.GET).reservationSid("WR1")
                .postWorkActivitySid("WA1").build();
        Document d = clean(new VoiceResponse.Builder().dial(dial)
                .dial(new Dial.Builder().conference(conf).build())
                .dial(new Dial.Builder().queue(queue).build())
                .dial(new Dial.Builder("+15557654321").build())
                .build());
        io.twimlagi.twiml.Dial pd = (io.twimlagi.twiml.Dial) d.verbs().get(0);
        assertEquals(3, pd.nouns().size());
        assertEquals(io.twimlagi.twiml.Dial.RecordMode.RECORD_FROM_ANSWER_DUAL, pd.record());
        assertEquals(RingTone.UK, pd.ringTone());
        assertEquals("sip:bob@example.com?X-Foo=bar&X-Baz=1", ((io.twimlagi.twiml.Sip) pd.nouns().get(1)).uri());
        assertEquals("alice", ((io.twimlagi.twiml.Client) pd.nouns().get(2)).identity());
        io.twimlagi.twiml.Conference pc =
                (io.twimlagi.twiml.Conference) ((io.twimlagi.twiml.Dial) d.verbs().get(1)).nouns().get(0);
        assertEquals(io.twimlagi.twiml.Conference.Beep.ON_EXIT, pc.beep());
        assertEquals("off", pc.jitterBufferSize());
        assertInstanceOf(io.twimlagi.twiml.Queue.class, ((io.twimlagi.twiml.Dial) d.verbs().get(2)).nouns().get(0));
        assertEquals("+15557654321",
                ((io.twimlagi.twiml.Number) ((io.twimlagi.twiml.Dial) d.verbs().get(3)).nouns().get(0)).number());
    }

    @Test
    void referEnqueueLeaveEcho() throws Exception {
        Document d = clean(new VoiceResponse.Builder()
                .refer(new Refer.Builder().action("/ra").method(HttpMethod.GET)
                        .sip(new ReferSip.Builder("sip:alice@example.com?X-Acct=1").build()).build())
                .enqueue(new Enqueue.Builder("support").action("/ea").method(HttpMethod.GET).waitUrl("/w")
                        .waitUrlMethod(HttpMethod.GET).maxQueueSize(10).build())
                .enqueue(new Enqueue.Builder().workflowSid("WW1")
                        .task(new Task.Builder("{\"a\":1}").priority(5).timeout(100).build()).build())
                .leave(new Leave.Builder().build())
                .echo(new Echo.Builder().build())
                .build());
        assertEquals("sip:alice@example.com?X-Acct=1", ((io.twimlagi.twiml.Refer) d.verbs().get(0)).target().uri());
        assertEquals("support", ((io.twimlagi.twiml.Enqueue) d.verbs().get(1)).queueName());
        assertEquals(5, ((io.twimlagi.twiml.Enqueue) d.verbs().get(2)).task().priority());
    }

    @Test
    void connectStartStopStreams() throws Exception {
        Stream stream = new Stream.Builder().url("wss://media.example/s").name("s1")
                .track(Stream.Track.INBOUND_TRACK).statusCallback("/ssc")
                .statusCallbackMethod(Stream.StatusCallbackMethod.GET).connectorName("c")
                .parameter(new Parameter.Builder().name("a").value("b").build()).build();
        Document d = clean(new VoiceResponse.Builder()
                .connect(new Connect.Builder().action("/after").method(HttpMethod.GET).stream(stream).build())
                .start(new Start.Builder().action("/sa").method(HttpMethod.GET)
                        .stream(new Stream.Builder().url("wss://x").track(Stream.Track.BOTH_TRACKS).build())
                        .siprec(new Siprec.Builder().name("rec").connectorName("SR1").build())
                        .transcription(new Transcription.Builder().name("t").languageCode("en-US")
                                .partialResults(true).build())
                        .build())
                .stop(new Stop.Builder().stream(new Stream.Builder().name("s1").build()).build())
                .build());
        io.twimlagi.twiml.Stream s = (io.twimlagi.twiml.Stream) ((io.twimlagi.twiml.Connect) d.verbs().get(0)).nouns().get(0);
        assertEquals("wss://media.example/s", s.url());
        assertEquals("inbound_track", s.track());
        assertEquals(1, s.parameters().size());
        assertEquals(3, ((io.twimlagi.twiml.Start) d.verbs().get(1)).nouns().size());
        assertInstanceOf(io.twimlagi.twiml.Stop.class, d.verbs().get(2));
    }
}
