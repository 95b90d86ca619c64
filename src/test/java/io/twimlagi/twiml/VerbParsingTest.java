package io.twimlagi.twiml;

import static io.twimlagi.twiml.TwimlTestSupport.doc;
import static io.twimlagi.twiml.TwimlTestSupport.only;
import static io.twimlagi.twiml.TwimlTestSupport.warningCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerbParsingTest {

    // ------------------------------------------------------------ Say

    @Test
    void sayDefaults() throws Exception {
        Say s = only("<Say>  Hello\n   world  </Say>", Say.class);
        assertEquals("Hello world", s.text());
        assertEquals("man", s.voice());
        assertEquals("en-US", s.language());
        assertEquals(1, s.loop());
        assertEquals("Say", s.name());
        assertEquals(2, s.line());
    }

    @Test
    void sayAttributes() throws Exception {
        Say s = only("<Say voice=\"Polly.Joanna-Neural\" language=\"fr-CA\" loop=\"0\">Bonjour</Say>", Say.class);
        assertEquals("Polly.Joanna-Neural", s.voice());
        assertEquals("fr-CA", s.language());
        assertEquals(0, s.loop());
        assertEquals("woman", only("<Say voice=\"woman\">x</Say>", Say.class).voice());
        assertEquals("Google.en-US-Chirp3-HD-Aoede",
                only("<Say voice=\"Google.en-US-Chirp3-HD-Aoede\">x</Say>", Say.class).voice());
    }

    @Test
    void saySsmlBreaksAndText() throws Exception {
        Say s = only("<Say>Hi <break time=\"1.5s\"/> there <emphasis level=\"strong\">friend</emphasis>"
                + "<break strength=\"x-strong\"/><prosody rate=\"slow\">bye</prosody> <sub alias=\"World Wide Web\">WWW</sub>"
                + "<break time=\"250ms\"/><break/></Say>", Say.class);
        assertEquals(List.of(new SayPart.Text("Hi "), new SayPart.Break(Duration.ofMillis(1500)),
                new SayPart.Text(" there friend"), new SayPart.Break(Duration.ofSeconds(1)),
                new SayPart.Text("bye World Wide Web"), new SayPart.Break(Duration.ofMillis(250)),
                new SayPart.Break(Duration.ofMillis(500))), s.parts());
        assertEquals("Hi there friend bye World Wide Web", s.text());
        assertTrue(s.hasBreaks());
    }

    @Test
    void sayAmazonPrefixedSsmlIsKeptAsText() throws Exception {
        Document d = doc("<Say voice=\"Polly.Joanna\"><amazon:effect name=\"whispered\">secret</amazon:effect>"
                + " <lang xml:lang=\"fr-FR\">oui</lang></Say>");
        assertEquals("secret oui", ((Say) d.verbs().get(0)).text());
        assertEquals(List.of(), d.warnings());
    }

    @Test
    void sayInvalidValuesFallBack() throws Exception {
        Document d = doc("<Say loop=\"abc\" voice=\"robot\">x</Say>");
        Say s = (Say) d.verbs().get(0);
        assertEquals(1, s.loop());
        assertEquals("man", s.voice());
        assertEquals(List.of(13511, 13510), TwimlTestSupport.codes(d.warnings()));
        assertEquals(List.of(13510), warningCodes("<Say loop=\"-1\">x</Say>"));
    }

    @Test
    void sayTooLongAndEmpty() throws Exception {
        Document d = doc("<Say>" + "a".repeat(4097) + "</Say>");
        assertEquals(List.of(13521), TwimlTestSupport.codes(d.warnings()));
        assertEquals(4097, ((Say) d.verbs().get(0)).text().length());
        assertEquals(List.of(), warningCodes("<Say>" + "a".repeat(4096) + "</Say>"));
        assertEquals(List.of(13520), warningCodes("<Say/>"));
    }

    @Test
    void pauseInsideSayIsSkipped() throws Exception {
        Document d = doc("<Say>a<Pause length=\"2\"/>b</Say>");
        assertEquals("ab", ((Say) d.verbs().get(0)).text());
        assertEquals(List.of(12200), TwimlTestSupport.codes(d.warnings()));
    }

    // ------------------------------------------------------------ Play / Pause

    @Test
    void play() throws Exception {
        Play p = only("<Play>  https://x.test/a.mp3 </Play>", Play.class);
        assertEquals("https://x.test/a.mp3", p.url());
        assertEquals(1, p.loop());
        assertNull(p.digits());
        Play d = only("<Play digits=\"wwww3#*AwW\" loop=\"3\"/>", Play.class);
        assertEquals("", d.url());
        assertEquals("wwww3#*AwW", d.digits());
        assertEquals(3, d.loop());
    }

    @Test
    void playInvalid() throws Exception {
        Document d = doc("<Play loop=\"x\" digits=\"12E\">a.wav</Play>");
        Play p = (Play) d.verbs().get(0);
        assertEquals(1, p.loop());
        assertNull(p.digits());
        assertEquals(List.of(13410, 12200), TwimlTestSupport.codes(d.warnings()));
    }

    @ParameterizedTest
    @CsvSource({"'', 1", "'length=\"7\"', 7", "'length=\"-3\"', 1", "'length=\"0\"', 1", "'length=\"a\"', 1"})
    void pause(String attr, int expected) throws Exception {
        Document d = doc("<Pause " + attr + "/>");
        assertEquals(expected, ((Pause) d.verbs().get(0)).length());
        assertEquals(attr.isEmpty() || attr.contains("7") ? List.of() : List.of(13910),
                TwimlTestSupport.codes(d.warnings()));
    }

    // ------------------------------------------------------------ Gather

    @Test
    void gatherDefaults() throws Exception {
        Gather g = only("<Gather/>", Gather.class);
        assertNull(g.action());
        assertEquals(HttpMethod.POST, g.method());
        assertEquals(Set.of(Gather.Input.DTMF), g.input());
        assertEquals(5, g.timeout());
        assertFalse(g.timeoutAuto());
        assertEquals("#", g.finishOnKey());
        assertNull(g.numDigits());
        assertFalse(g.actionOnEmptyResult());
        assertNull(g.speechTimeout());
        assertNull(g.speechModel());
        assertEquals("en-US", g.language());
        assertNull(g.hints());
        assertTrue(g.profanityFilter());
        assertNull(g.partialResultCallback());
        assertEquals(HttpMethod.POST, g.partialResultCallbackMethod());
        assertFalse(g.enhanced());
        assertTrue(g.bargeIn());
        assertNull(g.maxSpeechTime());
        assertFalse(g.debug());
        assertEquals(List.of(), g.prompts());
    }

    @Test
    void gatherAllAttributes() throws Exception {
        Document d = doc("<Gather action=\"/next\" method=\"get\" input=\"dtmf speech\" timeout=\"9\" finishOnKey=\"\""
                + " numDigits=\"4\" actionOnEmptyResult=\"true\" speechTimeout=\"auto\" speechModel=\"phone_call\""
                + " language=\"de-DE\" hints=\"a,b\" profanityFilter=\"false\" partialResultCallback=\"/p\""
                + " partialResultCallbackMethod=\"GET\" enhanced=\"true\" bargeIn=\"false\" maxSpeechTime=\"30\""
                + " debug=\"true\"><Say>Press</Say><Play>a.wav</Play><Pause length=\"2\"/></Gather>");
        assertEquals(List.of(), d.warnings());
        Gather g = (Gather) d.verbs().get(0);
        assertEquals("/next", g.action());
        assertEquals(HttpMethod.GET, g.method());
        assertEquals(Set.of(Gather.Input.DTMF, Gather.Input.SPEECH), g.input());
        assertEquals(9, g.timeout());
        assertEquals("", g.finishOnKey());
        assertEquals(4, g.numDigits());
        assertTrue(g.actionOnEmptyResult());
        assertEquals("auto", g.speechTimeout());
        assertEquals("phone_call", g.speechModel());
        assertEquals("de-DE", g.language());
        assertEquals("a,b", g.hints());
        assertFalse(g.profanityFilter());
        assertEquals("/p", g.partialResultCallback());
        assertEquals(HttpMethod.GET, g.partialResultCallbackMethod());
        assertTrue(g.enhanced());
        assertFalse(g.bargeIn());
        assertEquals(30, g.maxSpeechTime());
        assertTrue(g.debug());
        assertEquals(3, g.prompts().size());
        assertInstanceOf(Say.class, g.prompts().get(0));
        assertInstanceOf(Play.class, g.prompts().get(1));
        assertEquals(2, ((Pause) g.prompts().get(2)).length());
    }

    @Test
    void gatherTimeoutAutoAccepted() throws Exception {
        Document d = doc("<Gather timeout=\"auto\"/>");
        assertEquals(List.of(), d.warnings());
        Gather g = (Gather) d.verbs().get(0);
        assertTrue(g.timeoutAuto());
        assertEquals(5, g.timeout());
    }

    @Test
    void gatherInvalidValues() throws Exception {
        Document d = doc("<Gather method=\"PUT\" timeout=\"x\" finishOnKey=\"x\" numDigits=\"0\" speechTimeout=\"soon\"/>");
        Gather g = (Gather) d.verbs().get(0);
        assertEquals(HttpMethod.POST, g.method());
        assertEquals(5, g.timeout());
        assertEquals("#", g.finishOnKey());
        assertNull(g.numDigits());
        assertNull(g.speechTimeout());
        assertEquals(Set.of(13312, 13313, 13310, 13314, 13327), Set.copyOf(TwimlTestSupport.codes(d.warnings())));
        assertEquals(List.of(13310), warningCodes("<Gather finishOnKey=\"12\"/>"));
    }

    @Test
    void gatherNestingRules() throws Exception {
        Document d = doc("<Gather><Record/><Dial>123</Dial><Play digits=\"1\"/><Say loop=\"z\">a</Say><say>x</say></Gather>");
        Gather g = (Gather) d.verbs().get(0);
        assertEquals(1, g.prompts().size());
        assertEquals(List.of(13320, 13320, 13320, 13322, 12200), TwimlTestSupport.codes(d.warnings()));
        assertEquals(List.of(13321), warningCodes("<Gather><Say voice=\"bogus\">a</Say></Gather>"));
    }

    // ------------------------------------------------------------ Record

    @Test
    void recordDefaults() throws Exception {
        Record r = only("<Record/>", Record.class);
        assertNull(r.action());
        assertEquals(HttpMethod.POST, r.method());
        assertEquals(5, r.timeout());
        assertEquals(3600, r.maxLength());
        assertEquals("1234567890*#", r.finishOnKey());
        assertTrue(r.playBeep());
        assertEquals(Trim.TRIM_SILENCE, r.trim());
        assertNull(r.recordingStatusCallback());
        assertEquals(HttpMethod.POST, r.recordingStatusCallbackMethod());
        assertEquals(Set.of("completed"), r.recordingStatusCallbackEvent());
        assertFalse(r.transcribe());
        assertNull(r.transcribeCallback());
        assertNull(r.recordingConfigurationId());
    }

    @Test
    void recordAllAttributes() throws Exception {
        Document d = doc("<Record action=\"/done\" method=\"GET\" timeout=\"0\" maxLength=\"20\" finishOnKey=\"#*\""
                + " playBeep=\"false\" trim=\"do-not-trim\" recordingStatusCallback=\"/rs\""
                + " recordingStatusCallbackMethod=\"GET\" recordingStatusCallbackEvent=\"in-progress completed absent\""
                + " transcribe=\"true\" transcribeCallback=\"/tc\" recordingConfigurationId=\"RC1\"/>");
        assertEquals(List.of(), d.warnings());
        Record r = (Record) d.verbs().get(0);
        assertEquals("/done", r.action());
        assertEquals(HttpMethod.GET, r.method());
        assertEquals(0, r.timeout());
        assertEquals(20, r.maxLength());
        assertEquals("#*", r.finishOnKey());
        assertFalse(r.playBeep());
        assertEquals(Trim.DO_NOT_TRIM, r.trim());
        assertEquals("/rs", r.recordingStatusCallback());
        assertEquals(HttpMethod.GET, r.recordingStatusCallbackMethod());
        assertEquals(Set.of("in-progress", "completed", "absent"), r.recordingStatusCallbackEvent());
        assertTrue(r.transcribe());
        assertEquals("/tc", r.transcribeCallback());
        assertEquals("RC1", r.recordingConfigurationId());
    }

    @Test
    void recordInvalidValues() throws Exception {
        Document d = doc("<Record method=\"DELETE\" timeout=\"-1\" maxLength=\"long\" finishOnKey=\"x\" transcribe=\"yes\"/>");
        Record r = (Record) d.verbs().get(0);
        assertEquals(5, r.timeout());
        assertEquals(3600, r.maxLength());
        assertEquals("1234567890*#", r.finishOnKey());
        assertFalse(r.transcribe());
        assertEquals(Set.of(13610, 13611, 13612, 13613, 13614), Set.copyOf(TwimlTestSupport.codes(d.warnings())));
    }

    // ------------------------------------------------------------ Dial

    @Test
    void dialPlainNumberAndDefaults() throws Exception {
        Dial dl = only("<Dial> +15551234567 </Dial>", Dial.class);
        assertNull(dl.action());
        assertEquals(HttpMethod.POST, dl.method());
        assertEquals(30, dl.timeout());
        assertNull(dl.callerId());
        assertEquals(14400, dl.timeLimit());
        assertFalse(dl.hangupOnStar());
        assertEquals(Dial.RecordMode.DO_NOT_RECORD, dl.record());
        assertFalse(dl.answerOnBridge());
        assertNull(dl.ringTone());
        assertEquals(Trim.DO_NOT_TRIM, dl.trim());
        assertEquals(Set.of("completed"), dl.recordingStatusCallbackEvent());
        assertEquals("both", dl.recordingTrack());
        assertEquals(HttpMethod.POST, dl.referMethod());
        assertFalse(dl.sequential());
        assertEquals(1, dl.nouns().size());
        Number n = (Number) dl.nouns().get(0);
        assertEquals("+15551234567", n.number());
        assertEquals(HttpMethod.POST, n.method());
        assertNull(n.machineDetection());
    }

    @Test
    void dialAllAttributes() throws Exception {
        Document d = doc("<Dial action=\"/a\" method=\"GET\" timeout=\"10\" callerId=\"+1555\" timeLimit=\"60\""
                + " hangupOnStar=\"true\" record=\"true\" answerOnBridge=\"true\" ringTone=\"de\" trim=\"trim-silence\""
                + " recordingStatusCallback=\"/r\" recordingStatusCallbackMethod=\"GET\""
                + " recordingStatusCallbackEvent=\"in-progress\" recordingTrack=\"inbound\""
                + " recordingConfigurationId=\"x\" referUrl=\"/refer\" referMethod=\"GET\" sequential=\"true\""
                + " callReason=\"support\" events=\"call-progress-events\" passports=\"p\">"
                + "<Number sendDigits=\"ww12\" url=\"/screen\" method=\"GET\" statusCallback=\"/sc\""
                + " statusCallbackMethod=\"GET\" statusCallbackEvent=\"initiated ringing answered completed\" byoc=\"BY1\""
                + " machineDetection=\"DetectMessageEnd\" machineDetectionTimeout=\"10\""
                + " machineDetectionSpeechThreshold=\"2000\" machineDetectionSpeechEndThreshold=\"1000\""
                + " machineDetectionSilenceTimeout=\"3000\" amdStatusCallback=\"/amd\" amdStatusCallbackMethod=\"GET\">"
                + "+1555</Number>"
                + "<Sip username=\"u\" password=\"p\" url=\"/s\" method=\"GET\" statusCallback=\"/ss\""
                + " statusCallbackMethod=\"GET\" statusCallbackEvent=\"answered\" machineDetection=\"Enable\">"
                + "sip:bob@example.com?X-A=1&amp;X-B=2</Sip>"
                + "<Client url=\"/c\" method=\"GET\" statusCallback=\"/cs\" statusCallbackMethod=\"GET\""
                + " statusCallbackEvent=\"ringing\"><Identity>alice</Identity><Parameter name=\"k\" value=\"v\"/></Client>"
                + "</Dial>");
        assertEquals(List.of(), d.warnings());
        Dial dl = (Dial) d.verbs().get(0);
        assertEquals("/a", dl.action());
        assertEquals(HttpMethod.GET, dl.method());
        assertEquals(10, dl.timeout());
        assertEquals("+1555", dl.callerId());
        assertEquals(60, dl.timeLimit());
        assertTrue(dl.hangupOnStar());
        assertEquals(Dial.RecordMode.RECORD_FROM_ANSWER, dl.record());
        assertTrue(dl.answerOnBridge());
        assertEquals(RingTone.DE, dl.ringTone());
        assertEquals(Trim.TRIM_SILENCE, dl.trim());
        assertEquals("/r", dl.recordingStatusCallback());
        assertEquals(HttpMethod.GET, dl.recordingStatusCallbackMethod());
        assertEquals(Set.of("in-progress"), dl.recordingStatusCallbackEvent());
        assertEquals("inbound", dl.recordingTrack());
        assertEquals("x", dl.recordingConfigurationId());
        assertEquals("/refer", dl.referUrl());
        assertEquals(HttpMethod.GET, dl.referMethod());
        assertTrue(dl.sequential());
        assertEquals("support", dl.callReason());
        assertEquals("call-progress-events", dl.events());
        assertEquals("p", dl.passports());

        Number n = (Number) dl.nouns().get(0);
        assertEquals("+1555", n.number());
        assertEquals("ww12", n.sendDigits());
        assertEquals("/screen", n.url());
        assertEquals(HttpMethod.GET, n.method());
        assertEquals("/sc", n.statusCallback());
        assertEquals(HttpMethod.GET, n.statusCallbackMethod());
        assertEquals(Set.of("initiated", "ringing", "answered", "completed"), n.statusCallbackEvent());
        assertEquals("BY1", n.byoc());
        assertEquals(new MachineDetection("DetectMessageEnd", 10, 2000, 1000, 3000, "/amd", HttpMethod.GET),
                n.machineDetection());

        Sip s = (Sip) dl.nouns().get(1);
        assertEquals("sip:bob@example.com?X-A=1&X-B=2", s.uri());
        assertEquals("u", s.username());
        assertEquals("p", s.password());
        assertEquals("/s", s.url());
        assertEquals(HttpMethod.GET, s.method());
        assertEquals("/ss", s.statusCallback());
        assertEquals(Set.of("answered"), s.statusCallbackEvent());
        assertEquals("Enable", s.machineDetection().mode());

        Client c = (Client) dl.nouns().get(2);
        assertEquals("alice", c.identity());
        assertEquals(List.of(new Parameter("k", "v", 2)), c.parameters());
        assertEquals("/c", c.url());
    }

    @Test
    void dialConferenceAndQueue() throws Exception {
        Document d = doc("<Dial><Conference muted=\"true\" beep=\"onEnter\" startConferenceOnEnter=\"false\""
                + " endConferenceOnExit=\"true\" waitUrl=\"\" waitMethod=\"GET\" maxParticipants=\"10\""
                + " record=\"record-from-start\" region=\"ie1\" trim=\"do-not-trim\" coach=\"CA1\" participantLabel=\"l\""
                + " jitterBufferSize=\"small\" statusCallback=\"/cs\" statusCallbackMethod=\"GET\""
                + " statusCallbackEvent=\"start end join leave mute hold modify speaker announcement\""
                + " recordingStatusCallback=\"/r\" recordingStatusCallbackMethod=\"GET\""
                + " recordingStatusCallbackEvent=\"absent\" eventCallbackUrl=\"/e\">room1</Conference></Dial>"
                + "<Dial><Conference>plain</Conference></Dial>"
                + "<Dial><Queue url=\"/q\" method=\"GET\" reservationSid=\"WR1\" postWorkActivitySid=\"WA1\">support</Queue></Dial>");
        assertEquals(List.of(), d.warnings());
        Conference c = (Conference) ((Dial) d.verbs().get(0)).nouns().get(0);
        assertEquals("room1", c.name());
        assertTrue(c.muted());
        assertEquals(Conference.Beep.ON_ENTER, c.beep());
        assertFalse(c.startConferenceOnEnter());
        assertTrue(c.endConferenceOnExit());
        assertEquals("", c.waitUrl());
        assertEquals(HttpMethod.GET, c.waitMethod());
        assertEquals(10, c.maxParticipants());
        assertEquals(Conference.RecordMode.RECORD_FROM_START, c.record());
        assertEquals("ie1", c.region());
        assertEquals(Trim.DO_NOT_TRIM, c.trim());
        assertEquals("CA1", c.coach());
        assertEquals("l", c.participantLabel());
        assertEquals("small", c.jitterBufferSize());
        assertEquals(9, c.statusCallbackEvent().size());
        assertEquals(Set.of("absent"), c.recordingStatusCallbackEvent());
        assertEquals("/e", c.eventCallbackUrl());

        Conference p = (Conference) ((Dial) d.verbs().get(1)).nouns().get(0);
        assertFalse(p.muted());
        assertEquals(Conference.Beep.TRUE, p.beep());
        assertTrue(p.startConferenceOnEnter());
        assertFalse(p.endConferenceOnExit());
        assertNull(p.waitUrl());
        assertEquals(HttpMethod.POST, p.waitMethod());
        assertEquals(250, p.maxParticipants());
        assertEquals(Conference.RecordMode.DO_NOT_RECORD, p.record());
        assertEquals(Trim.TRIM_SILENCE, p.trim());
        assertEquals("large", p.jitterBufferSize());

        Queue q = (Queue) ((Dial) d.verbs().get(2)).nouns().get(0);
        assertEquals(new Queue("support", "/q", HttpMethod.GET, "WR1", "WA1", 2), q);
    }

    @Test
    void dialInvalidValues() throws Exception {
        Document d = doc("<Dial method=\"PUT\" timeout=\"soon\" timeLimit=\"0\" hangupOnStar=\"maybe\" record=\"always\""
                + " ringTone=\"xx\">123</Dial>");
        Dial dl = (Dial) d.verbs().get(0);
        assertEquals(HttpMethod.POST, dl.method());
        assertEquals(30, dl.timeout());
        assertEquals(14400, dl.timeLimit());
        assertFalse(dl.hangupOnStar());
        assertEquals(Dial.RecordMode.DO_NOT_RECORD, dl.record());
        assertNull(dl.ringTone());
        assertEquals(Set.of(13210, 13212, 13216, 13213, 13217, 12200), Set.copyOf(TwimlTestSupport.codes(d.warnings())));
    }

    @Test
    void dialNestingAndLimits() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 11; i++) many.append("<Number>+1").append(i).append("</Number>");
        Document d = doc("<Dial>" + many + "</Dial><Dial><Say>x</Say><Number>1</Number></Dial><Dial/>");
        assertEquals(10, ((Dial) d.verbs().get(0)).nouns().size());
        assertEquals(1, ((Dial) d.verbs().get(1)).nouns().size());
        assertEquals(List.of(13215, 13215, 13215), TwimlTestSupport.codes(d.warnings()));
    }

    @Test
    void sipUriAndHeadersChildren() throws Exception {
        Document d = doc("<Dial><Sip><Uri priority=\"1\" weight=\"2\" username=\"u\" password=\"p\">sip:a@b</Uri>"
                + "<Uri>sip:c@d</Uri><Headers><Header name=\"X-Foo\" value=\"bar\"/></Headers></Sip></Dial>");
        assertEquals(List.of(), d.warnings());
        Sip s = (Sip) ((Dial) d.verbs().get(0)).nouns().get(0);
        assertEquals("sip:a@b", s.uri());
        assertEquals(2, s.uris().size());
        assertEquals(new SipUri("sip:a@b", 1, 2, "u", "p", 2), s.uris().get(0));
        assertEquals(Map.of("X-Foo", "bar"), s.headers());
    }

    // ------------------------------------------------------------ simple verbs

    @Test
    void hangupRedirectReject() throws Exception {
        Document d = doc("<Hangup/><Redirect>/next</Redirect><Redirect method=\"GET\">http://x/y</Redirect>"
                + "<Reject/><Reject reason=\"busy\"/><Leave/><Echo/>");
        assertEquals(List.of(), d.warnings());
        assertEquals(List.of(new Hangup(2), new Redirect("/next", HttpMethod.POST, 2),
                new Redirect("http://x/y", HttpMethod.GET, 2), new Reject(Reject.Reason.REJECTED, 2),
                new Reject(Reject.Reason.BUSY, 2), new Leave(2), new Echo(2)), d.verbs());
    }

    @Test
    void redirectAndRejectInvalid() throws Exception {
        Document d = doc("<Redirect method=\"PUT\">/x</Redirect><Redirect/><Reject reason=\"maybe\"/>");
        assertEquals(HttpMethod.POST, ((Redirect) d.verbs().get(0)).method());
        assertEquals("", ((Redirect) d.verbs().get(1)).url());
        assertEquals(Reject.Reason.REJECTED, ((Reject) d.verbs().get(2)).reason());
        assertEquals(List.of(13710, 12200, 12200), TwimlTestSupport.codes(d.warnings()));
    }

    @Test
    void refer() throws Exception {
        Refer r = only("<Refer action=\"/ra\" method=\"GET\"><Sip>sip:alice@example.com?X-A=1</Sip></Refer>", Refer.class);
        assertEquals("/ra", r.action());
        assertEquals(HttpMethod.GET, r.method());
        assertEquals("sip:alice@example.com?X-A=1", r.target().uri());
        Document d = doc("<Refer/><Refer><Sip>sip:a@b</Sip><Sip>sip:c@d</Sip></Refer>");
        assertNull(((Refer) d.verbs().get(0)).target());
        assertNull(((Refer) d.verbs().get(1)).target());
        assertEquals(HttpMethod.POST, ((Refer) d.verbs().get(0)).method());
        assertEquals(List.of(12200, 12200), TwimlTestSupport.codes(d.warnings()));
    }

    @Test
    void enqueueAndTask() throws Exception {
        Document d = doc("<Enqueue action=\"/a\" method=\"GET\" waitUrl=\"/w\" waitUrlMethod=\"GET\" workflowSid=\"WW1\""
                + " maxQueueSize=\"5\">support<Task priority=\"2\" timeout=\"30\">{\"x\":1}</Task></Enqueue>");
        assertEquals(List.of(), d.warnings());
        Enqueue e = (Enqueue) d.verbs().get(0);
        assertEquals("support", e.queueName());
        assertEquals("Enqueue", e.name());
        assertEquals("/a", e.action());
        assertEquals(HttpMethod.GET, e.waitUrlMethod());
        assertEquals("WW1", e.workflowSid());
        assertEquals(5, e.maxQueueSize());
        assertEquals(new Task("{\"x\":1}", 2, 30, 2), e.task());
    }

    @Test
    void connectStartStop() throws Exception {
        Document d = doc("<Connect action=\"/after\"><Stream url=\"wss://x/s\" name=\"n\" track=\"inbound_track\""
                + " statusCallback=\"/sc\" statusCallbackMethod=\"GET\"><Parameter name=\"a\" value=\"b\"/></Stream></Connect>"
                + "<Start><Stream url=\"wss://x\" track=\"both_tracks\"/><Recording channels=\"dual\" track=\"both\"/>"
                + "<Siprec name=\"s\" connectorName=\"c\"/><Transcription name=\"t\" languageCode=\"en-US\"/></Start>"
                + "<Stop><Stream name=\"n\"/></Stop>"
                + "<Connect><Room participantIdentity=\"me\">r1</Room></Connect>"
                + "<Connect><ConversationRelay url=\"wss://ai\" voice=\"v\"><Language code=\"fr-FR\"/>"
                + "<Parameter name=\"p\" value=\"q\"/></ConversationRelay></Connect>"
                + "<Connect><VirtualAgent connectorName=\"va\"><Config name=\"a\" value=\"b\"/></VirtualAgent></Connect>");
        assertEquals(List.of(), d.warnings());
        Connect c = (Connect) d.verbs().get(0);
        assertEquals("/after", c.action());
        Stream s = (Stream) c.nouns().get(0);
        assertEquals("wss://x/s", s.url());
        assertEquals("n", s.name());
        assertEquals(List.of(new Parameter("a", "b", 2)), s.parameters());
        Start st = (Start) d.verbs().get(1);
        assertEquals(4, st.nouns().size());
        assertEquals("both_tracks", ((Stream) st.nouns().get(0)).track());
        assertEquals("dual", ((Recording) st.nouns().get(1)).channels());
        assertEquals("inbound_track", ((Stream) ((Stop) d.verbs().get(2)).nouns().get(0)).track());
        assertEquals("r1", ((Room) ((Connect) d.verbs().get(3)).nouns().get(0)).name());
        ConversationRelay cr = (ConversationRelay) ((Connect) d.verbs().get(4)).nouns().get(0);
        assertEquals("wss://ai", cr.url());
        assertEquals("fr-FR", cr.children().get(0).attributes().get("code"));
        VirtualAgent va = (VirtualAgent) ((Connect) d.verbs().get(5)).nouns().get(0);
        assertEquals("va", va.connectorName());
    }

    @Test
    void paySmsAndOthers() throws Exception {
        Document d = doc("<Pay input=\"dtmf\" action=\"/pay\" chargeAmount=\"1.00\"><Prompt for=\"payment-card-number\">"
                + "<Say>Card</Say></Prompt></Pay><Sms to=\"+1\" from=\"+2\">hi</Sms>");
        assertEquals(List.of(), d.warnings());
        Pay p = (Pay) d.verbs().get(0);
        assertEquals("/pay", p.action());
        assertEquals("1.00", p.attributes().get("chargeAmount"));
        assertEquals("payment-card-number", p.prompts().get(0).attributes().get("for"));
        assertEquals("Card", ((Say) p.prompts().get(0).children().get(0)).text());
        Sms s = (Sms) d.verbs().get(1);
        assertEquals("hi", s.text());
        assertEquals("+1", s.to());
    }

    // ------------------------------------------------------------ schema warnings

    @Test
    void unknownElementsAttributesAndText() throws Exception {
        Document d = doc("<say>x</say><Say colour=\"red\">y</Say>stray<Number>1</Number><Record><Say>x</Say></Record>");
        assertEquals(2, d.verbs().size());
        assertEquals(List.of(12200, 12200, 12200, 12200, 12200), TwimlTestSupport.codes(d.warnings()));
        assertTrue(d.warnings().get(0).message().contains("<say>"));
        assertTrue(d.warnings().get(1).message().contains("colour"));
    }

    @Test
    void modelIsImmutable() throws Exception {
        Document d = doc("<Say>x</Say>");
        assertThrows(UnsupportedOperationException.class, () -> d.verbs().add(new Hangup(1)));
        Gather g = only("<Gather><Say>a</Say></Gather>", Gather.class);
        assertThrows(UnsupportedOperationException.class, () -> g.prompts().clear());
        assertThrows(UnsupportedOperationException.class, () -> g.input().clear());
    }

    @Test
    void linesAreReported() throws Exception {
        Document d = TwimlParser.parse(TwimlTestSupport.bytes("<Response>\n<Say>a</Say>\n\n<Play>b</Play>\n</Response>"));
        assertEquals(2, d.verbs().get(0).line());
        assertEquals(4, d.verbs().get(1).line());
    }
}
