package io.twimlagi.server;

import com.twilio.base.ResourceSet;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Conference;
import com.twilio.rest.api.v2010.account.conference.Participant;
import com.twilio.type.PhoneNumber;
import io.twimlagi.call.ChannelId;
import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.config.Domain;
import io.twimlagi.dial.BridgeControl;
import io.twimlagi.dial.ConferenceExecutor;
import io.twimlagi.dial.ConferenceHold;
import io.twimlagi.dial.ConferenceRegistry;
import io.twimlagi.dial.DialExecutor;
import io.twimlagi.dial.DialSessions;
import io.twimlagi.dial.FakeBridge;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.http.EmbeddedHttpServer;
import io.twimlagi.media.MediaStore;
import io.twimlagi.records.CallQuery;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.Page;
import io.twimlagi.records.RecordingQuery;
import io.twimlagi.records.RecordingRecord;
import io.twimlagi.records.SqliteRecordStore;
import io.twimlagi.rest.CallUpdate;
import io.twimlagi.rest.CallsBackend;
import io.twimlagi.rest.LocalTwilioHttpClient;
import io.twimlagi.rest.OutboundRequest;
import io.twimlagi.rest.RecordingsBackend;
import io.twimlagi.rest.RestApi;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookClient;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Conferences resources driven by Twilio's own Java SDK, over the real REST API, registry and conference code;
 * the participants are fake calls in an in-memory ConfBridge ({@link FakeBridge}) that the REST changes act on as
 * AMI's ConfbridgeKick and ConfbridgeMute would.
 */
class ConferencesSdkTest {
    static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    static final String TOKEN = "0123456789abcdef0123456789abcdef";
    static final String DOMAIN_SID = "SD" + "5d".repeat(16);
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    SqliteRecordStore store;
    FakeBridge bridge;
    ConferenceRegistry registry;
    DialExecutor dial;
    EmbeddedHttpServer http;
    TwilioRestClient client;
    final ExecutorService threads = Executors.newCachedThreadPool();
    int calls;
    /** Where conference status callbacks go (null: none). */
    CallbackSender callbacks;

    @BeforeEach
    void start() throws Exception {
        store = SqliteRecordStore.open(dir.resolve("records.db"), Duration.ZERO);
        bridge = new FakeBridge();
        serve(bridge);
    }

    /** The API over a registry whose Asterisk is {@code control} (null: no AMI). */
    void serve(BridgeControl control) throws Exception {
        if (http != null) http.close();
        registry = new ConferenceRegistry(store::saveConference, control);
        ConferenceExecutor conferences = ConferenceExecutor.create(new MediaStore(dir.resolve("media"), "/media"),
                new ConferenceHold(), null, callbacks, registry);
        dial = new DialExecutor(conferences, new DialSessions(null, null), null, null, null, null, CallLog.NONE);
        http = new EmbeddedHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> 0);
        new RestApi(ACCOUNT, TOKEN, NO_CALLS, NO_RECORDINGS, new RestConferences(store, registry)).attach(http);
        client = new TwilioRestClient.Builder(ACCOUNT, TOKEN)
                .httpClient(new LocalTwilioHttpClient("http://127.0.0.1:" + http.address().getPort())).build();
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        http.close();
        store.close();
    }

    /** A fake call in a {@code <Dial action="/left">} of this conference; its outcome when the Dial ends. */
    record Caller(String callSid, String channel, FakeCall call, CompletableFuture<Outcome> outcome) {
    }

    Caller caller(String conference) throws Exception {
        int n = ++calls;
        String callSid = "CA" + String.format("%032x", n);
        String channel = "PJSIP/caller" + n + "-0000000" + n;
        FakeCall call = new FakeCall();
        call.channelId = new ChannelId(channel, "1700000000." + n);
        call.duringConference = r -> {
            ConferenceExit exit = bridge.join(channel, r);
            call.nextConference = new ConferenceResult(exit, 1, exit == ConferenceExit.HUNG_UP);
        };
        Dial verb = (Dial) TwimlParser.parse(("<Response><Dial action=\"/left\">" + conference + "</Dial></Response>")
                .getBytes(StandardCharsets.UTF_8)).verbs().get(0);
        CallContext ctx = new CallContext(call, callSid, ACCOUNT,
                new SipInvite("sip:" + n + "@pbx.example.com", "sip:a@b", "pbx.example.com", "c" + n, "1.2.3.4",
                        Map.of()),
                new Domain("pbx.example.com", DOMAIN_SID, "https://app.example.com/voice", HttpMethod.POST, null,
                        HttpMethod.POST, null, HttpMethod.POST));
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> dial.execute(verb, ctx), threads);
        bridge.awaitIn(channel, room -> !room.startsWith("hold-"), WAIT);
        return new Caller(callSid, channel, call, outcome);
    }

    Caller caller() throws Exception {
        return caller("<Conference>Team Room</Conference>");
    }

    static Map<String, String> leftWith(Caller c) throws Exception {
        Outcome o = c.outcome.get(5, TimeUnit.SECONDS);
        Outcome.Navigate action = assertInstanceOf(Outcome.Navigate.class, o);
        assertTrue(action.url().endsWith("/left"), action.url());
        return action.extraParams();
    }

    Conference only() {
        List<Conference> all = new ArrayList<>();
        Conference.reader().read(client).forEach(all::add);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    List<String> participants(String conferenceSid) {
        List<String> sids = new ArrayList<>();
        Participant.reader(conferenceSid).read(client).forEach(p -> sids.add(p.getCallSid()));
        return sids;
    }

    @Test
    void aConferenceInProgressIsListedAndFetchedWithItsParticipants() throws Exception {
        Caller a = caller();
        Caller b = caller();
        Conference c = only();
        assertEquals("Team Room", c.getFriendlyName());
        assertEquals(Conference.Status.IN_PROGRESS, c.getStatus());
        assertEquals("us1", c.getRegion());
        assertTrue(c.getSid().matches("CF[0-9a-f]{32}"), c.getSid());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Conferences/" + c.getSid() + ".json", c.getUri());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Conferences/" + c.getSid() + "/Participants.json",
                c.getSubresourceUris().get("participants"));
        assertNull(c.getReasonConferenceEnded());
        assertEquals(c.getSid(), Conference.fetcher(c.getSid()).fetch(client).getSid());
        assertEquals(c.getSid(), Conference.reader().setFriendlyName("Team Room")
                .setStatus(Conference.Status.IN_PROGRESS).setDateCreated(LocalDate.now(ZoneOffset.UTC))
                .read(client).iterator().next().getSid());
        assertFalse(Conference.reader().setFriendlyName("Other Room").read(client).iterator().hasNext());

        assertEquals(List.of(a.callSid, b.callSid), participants(c.getSid()), "in the order they joined");
        Participant pa = Participant.fetcher(c.getSid(), a.callSid).fetch(client);
        assertEquals(ACCOUNT, pa.getAccountSid());
        assertEquals(c.getSid(), pa.getConferenceSid());
        assertEquals(Participant.Status.CONNECTED, pa.getStatus());
        assertFalse(pa.getMuted());
        assertFalse(pa.getHold());
        assertFalse(pa.getCoaching());
        assertTrue(pa.getStartConferenceOnEnter());
        assertFalse(pa.getEndConferenceOnExit());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Conferences/" + c.getSid() + "/Participants/" + a.callSid
                + ".json", pa.getUri());

        bridge.leave(a.channel, ConferenceExit.HUNG_UP);
        a.outcome.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(b.callSid), participants(c.getSid()));
        bridge.leave(b.channel, ConferenceExit.HUNG_UP);
        b.outcome.get(5, TimeUnit.SECONDS);
        Conference ended = Conference.fetcher(c.getSid()).fetch(client);
        assertEquals(Conference.Status.COMPLETED, ended.getStatus());
        assertEquals(Conference.ReasonConferenceEnded.LAST_PARTICIPANT_LEFT, ended.getReasonConferenceEnded());
        assertEquals(List.of(), participants(c.getSid()), "a completed conference has no participants");
        ApiException gone = assertThrows(ApiException.class,
                () -> Participant.fetcher(c.getSid(), a.callSid).fetch(client));
        assertEquals(20404, gone.getCode());
    }

    @Test
    void muteAndUnmuteReachConfBridgeAndTheFilter() throws Exception {
        Caller a = caller();
        Caller b = caller();
        String conf = only().getSid();
        Participant muted = Participant.updater(conf, a.callSid).setMuted(true).update(client);
        assertTrue(muted.getMuted());
        assertTrue(bridge.member(a.channel).muted, "ConfBridge mutes the channel");
        assertFalse(bridge.member(b.channel).muted);
        List<String> listed = new ArrayList<>();
        Participant.reader(conf).setMuted(true).read(client).forEach(p -> listed.add(p.getCallSid()));
        assertEquals(List.of(a.callSid), listed);
        assertFalse(Participant.updater(conf, a.callSid).setMuted(false).update(client).getMuted());
        assertFalse(bridge.member(a.channel).muted);
        assertTrue(bridge.actions.contains("mute " + bridge.member(a.channel).room + " " + a.channel + " false"));
    }

    @Test
    void holdTakesTheParticipantOutOfTheMixIntoItsHoldAudioAndBack() throws Exception {
        Caller a = caller();
        Caller b = caller();
        String conf = only().getSid();
        String room = bridge.member(a.channel).room;
        Participant held = Participant.updater(conf, a.callSid).setHold(true)
                .setHoldUrl("https://app.example.com/hold-music.mp3").update(client);
        assertTrue(held.getHold());
        FakeBridge.Member holding = bridge.awaitIn(a.channel, r -> r.equals("hold-" + a.callSid), WAIT);
        assertEquals("default", holding.request.holdClass(), "hold audio (the test has no fetcher: the default)");
        assertEquals(1, holding.request.maxParticipants(), "alone in its hold room");
        assertEquals(room, bridge.member(b.channel).room, "B stays in the conference");
        List<String> onHold = new ArrayList<>();
        Participant.reader(conf).setHold(true).read(client).forEach(p -> onHold.add(p.getCallSid()));
        assertEquals(List.of(a.callSid), onHold);
        // muted while held: it comes back muted
        Participant.updater(conf, a.callSid).setMuted(true).update(client);
        Participant back = Participant.updater(conf, a.callSid).setHold(false).update(client);
        assertFalse(back.getHold());
        FakeBridge.Member again = bridge.awaitIn(a.channel, room::equals, WAIT);
        assertTrue(again.request.muted(), "back in the conference, muted as asked meanwhile");
        assertTrue(again.request.quiet(), "no join tone for a return from hold");
        assertFalse(a.outcome.isDone(), "its Dial goes on");
        assertEquals(List.of(a.callSid, b.callSid), participants(conf));
    }

    @Test
    void deletingAParticipantEndsItsDialWhichGoesOnWithItsAction() throws Exception {
        Caller a = caller();
        Caller b = caller();
        String conf = only().getSid();
        assertTrue(Participant.deleter(conf, b.callSid).delete(client));
        Map<String, String> action = leftWith(b);
        assertEquals("answered", action.get("DialCallStatus"));
        assertFalse(b.call.isGone(), "the caller is still there, its TwiML goes on");
        assertEquals(List.of(a.callSid), participants(conf));
        assertFalse(a.outcome.isDone());
        ApiException again = assertThrows(ApiException.class, () -> Participant.deleter(conf, b.callSid)
                .delete(client));
        assertEquals(20404, again.getCode());
        bridge.leave(a.channel, ConferenceExit.HUNG_UP);
        a.outcome.get(5, TimeUnit.SECONDS);
        assertEquals(Conference.ReasonConferenceEnded.LAST_PARTICIPANT_LEFT,
                Conference.fetcher(conf).fetch(client).getReasonConferenceEnded());
    }

    @Test
    void deletingTheLastParticipantEndsTheConferenceAsKicked() throws Exception {
        Caller a = caller();
        String conf = only().getSid();
        Participant.deleter(conf, a.callSid).delete(client);
        leftWith(a);
        assertEquals(Conference.ReasonConferenceEnded.LAST_PARTICIPANT_KICKED,
                Conference.fetcher(conf).fetch(client).getReasonConferenceEnded());
    }

    @Test
    void deletingAParticipantWithEndConferenceOnExitEndsItForAll() throws Exception {
        Caller moderator = caller("<Conference endConferenceOnExit=\"true\">Team Room</Conference>");
        Caller b = caller();
        Caller held = caller();
        String conf = only().getSid();
        Participant.updater(conf, held.callSid).setHold(true).update(client);
        bridge.awaitIn(held.channel, r -> r.startsWith("hold-"), WAIT);
        Participant.deleter(conf, moderator.callSid).delete(client);
        for (Caller c : List.of(moderator, b, held)) leftWith(c);
        Conference ended = Conference.fetcher(conf).fetch(client);
        assertEquals(Conference.Status.COMPLETED, ended.getStatus());
        assertEquals(Conference.ReasonConferenceEnded.PARTICIPANT_WITH_END_CONFERENCE_ON_EXIT_KICKED,
                ended.getReasonConferenceEnded());
        assertEquals(moderator.callSid, ended.getCallSidEndingConference());
    }

    @Test
    void statusCompletedEndsTheConferenceForEveryoneAlsoThoseOnHold() throws Exception {
        Caller a = caller();
        Caller b = caller();
        String conf = only().getSid();
        Participant.updater(conf, b.callSid).setHold(true).update(client);
        bridge.awaitIn(b.channel, r -> r.startsWith("hold-"), WAIT);
        Conference ended = Conference.updater(conf).setStatus(Conference.UpdateStatus.COMPLETED).update(client);
        assertEquals(Conference.Status.COMPLETED, ended.getStatus(), "the answer shows it ended");
        assertEquals(Conference.ReasonConferenceEnded.CONFERENCE_ENDED_VIA_API, ended.getReasonConferenceEnded());
        assertNull(ended.getCallSidEndingConference());
        assertEquals("answered", leftWith(a).get("DialCallStatus"));
        assertEquals("answered", leftWith(b).get("DialCallStatus"));
        ResourceSet<Conference> completed = Conference.reader().setStatus(Conference.Status.COMPLETED).read(client);
        assertEquals(conf, completed.iterator().next().getSid());
        assertFalse(Conference.reader().setStatus(Conference.Status.IN_PROGRESS).read(client).iterator().hasNext());
        // the name starts a new conference afterwards
        Caller c = caller();
        List<Conference> all = new ArrayList<>();
        Conference.reader().read(client).forEach(all::add);
        assertEquals(2, all.size());
        assertEquals(Conference.Status.IN_PROGRESS, all.get(0).getStatus());
        assertEquals(List.of(c.callSid), participants(all.get(0).getSid()));
        // ending it again changes nothing
        assertEquals(Conference.ReasonConferenceEnded.CONFERENCE_ENDED_VIA_API, Conference.updater(conf)
                .setStatus(Conference.UpdateStatus.COMPLETED).update(client).getReasonConferenceEnded());
    }

    @Test
    void aParticipantLabelStandsForItsCallSid() throws Exception {
        Caller agent = caller("<Conference participantLabel=\"agent\">Team Room</Conference>");
        String conf = only().getSid();
        Participant p = Participant.fetcher(conf, "agent").fetch(client);
        assertEquals(agent.callSid, p.getCallSid());
        assertEquals("agent", p.getLabel());
        assertTrue(Participant.updater(conf, "agent").setMuted(true).update(client).getMuted());
        assertTrue(bridge.member(agent.channel).muted);
    }

    @Test
    void aConferenceWaitingForItsStarterIsInit() throws Exception {
        caller("<Conference startConferenceOnEnter=\"false\">Lobby</Conference>");
        Conference c = only();
        assertEquals(Conference.Status.INIT, c.getStatus());
        assertFalse(Participant.fetcher(c.getSid(), participants(c.getSid()).get(0)).fetch(client)
                .getStartConferenceOnEnter());
    }

    @Test
    void twiliosErrors() throws Exception {
        Caller a = caller();
        String conf = only().getSid();
        String unknown = "CF" + "00".repeat(16);
        assertEquals(20404, assertThrows(ApiException.class, () -> Conference.fetcher(unknown).fetch(client))
                .getCode());
        assertEquals(20404, assertThrows(ApiException.class, () -> Participant.reader(unknown).read(client)
                .iterator().hasNext()).getCode());
        assertEquals(20404, assertThrows(ApiException.class,
                () -> Participant.updater(conf, "CA" + "00".repeat(16)).setMuted(true).update(client)).getCode());
        ApiException announce = assertThrows(ApiException.class,
                () -> Participant.updater(conf, a.callSid).setAnnounceUrl("https://app.example.com/a").update(client));
        assertEquals(400, announce.getStatusCode());
        assertTrue(announce.getMessage().contains("AnnounceUrl is not supported"), announce.getMessage());
        ApiException confAnnounce = assertThrows(ApiException.class, () -> Conference.updater(conf)
                .setAnnounceUrl("https://app.example.com/a").update(client));
        assertEquals(400, confAnnounce.getStatusCode());
        ApiException badUrl = assertThrows(ApiException.class, () -> Participant.updater(conf, a.callSid)
                .setHold(true).setHoldUrl("file:///etc/passwd").update(client));
        assertEquals(400, badUrl.getStatusCode());
        ApiException create = assertThrows(ApiException.class, () -> Participant.creator(conf,
                new PhoneNumber("+15550001"), new PhoneNumber("sip:bob@example.com")).create(client));
        assertEquals(400, create.getStatusCode());
        assertTrue(create.getMessage().contains("not supported"), create.getMessage());
        assertFalse(bridge.member(a.channel).muted, "nothing was changed by the refused requests");
    }

    @Test
    void withoutTheManagerInterfaceChangesAre503() throws Exception {
        serve(null); // the calls' ConfBridge is still there, the server cannot reach it
        Caller a = caller();
        String conf = only().getSid();
        ApiException e = assertThrows(ApiException.class,
                () -> Participant.updater(conf, a.callSid).setMuted(true).update(client));
        assertEquals(503, e.getStatusCode());
        assertEquals(20503, e.getCode(), "Twilio's Service Unavailable (20003 would read as bad credentials)");
        assertTrue(e.getMessage().contains("Asterisk Manager Interface"), e.getMessage());
        assertFalse(Participant.fetcher(conf, a.callSid).fetch(client).getMuted());
        assertEquals(List.of(a.callSid), participants(conf), "reading works without AMI");
    }

    @Test
    void apiChangesAreConferenceEventsWhenAskedFor() throws Exception {
        MockWebServer app = new MockWebServer();
        app.start();
        try (WebhookClient webhooks = new WebhookClient(TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(2));
             CallbackSender sender = new CallbackSender(webhooks)) {
            callbacks = sender;
            serve(bridge);
            Caller a = caller("<Conference statusCallback=\"" + app.url("/events") + "\" statusCallbackEvent=\"mute "
                    + "hold\">Team Room</Conference>");
            String conf = only().getSid();
            Participant.updater(conf, a.callSid).setMuted(true).update(client);
            Participant.updater(conf, a.callSid).setMuted(true).update(client); // no change, no event
            Participant.updater(conf, a.callSid).setHold(true).update(client);
            Participant.updater(conf, a.callSid).setMuted(false).setHold(false).update(client);
            List<Map<String, String>> events = new ArrayList<>();
            for (int i = 0; i < 4; i++) events.add(CallSessionTest.form(app.takeRequest(5, TimeUnit.SECONDS)));
            events.sort(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.get("SequenceNumber"))));
            List<String> seen = new ArrayList<>();
            for (Map<String, String> p : events) { // sent in parallel: in the order of their SequenceNumber
                assertEquals(conf, p.get("ConferenceSid"));
                assertEquals(a.callSid, p.get("CallSid"));
                seen.add(p.get("StatusCallbackEvent") + " muted=" + p.get("Muted") + " hold=" + p.get("Hold"));
            }
            assertEquals(List.of("participant-mute muted=true hold=false", "participant-hold muted=true hold=true",
                    "participant-unmute muted=false hold=true", "participant-unhold muted=false hold=false"), seen);
            assertNull(app.takeRequest(300, TimeUnit.MILLISECONDS), "join and leave were not asked for");
        } finally {
            app.shutdown();
        }
    }

    static final CallsBackend NO_CALLS = new CallsBackend() {
        @Override public CallRecord create(OutboundRequest request) { throw new UnsupportedOperationException(); }
        @Override public Optional<CallRecord> fetch(String callSid) { return Optional.empty(); }
        @Override public Page<CallRecord> list(CallQuery q, int page, int size) {
            return new Page<>(List.of(), page, size, false);
        }
        @Override public Optional<CallRecord> update(String callSid, CallUpdate update) { return Optional.empty(); }
    };

    static final RecordingsBackend NO_RECORDINGS = new RecordingsBackend() {
        @Override public Optional<RecordingRecord> fetch(String sid) { return Optional.empty(); }
        @Override public Page<RecordingRecord> list(RecordingQuery q, int page, int size) {
            return new Page<>(List.of(), page, size, false);
        }
        @Override public boolean delete(String sid) { return false; }
        @Override public String publicUrl() { return "http://127.0.0.1"; }
    };
}
