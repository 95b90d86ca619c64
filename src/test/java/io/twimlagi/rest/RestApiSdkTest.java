package io.twimlagi.rest;

import com.twilio.base.ResourceSet;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallUpdater;
import com.twilio.rest.api.v2010.account.Recording;
import com.twilio.rest.api.v2010.account.call.Stream;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.twimlagi.agi.FakeAsterisk;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.media.ToneTts;
import io.twimlagi.recording.TestWavs;
import io.twimlagi.server.CallSessionTest;
import io.twimlagi.server.TwimlAgiServer;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API driven by Twilio's own Java SDK (a custom HttpClient sends its requests here), over a whole server
 * whose calls come from a fake Asterisk speaking the AGI wire protocol.
 */
class RestApiSdkTest {
    static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;
    MockWebServer app;
    final Map<String, String> documents = new ConcurrentHashMap<>();
    TwimlAgiServer server;
    InetSocketAddress agi;
    TwilioRestClient client;
    String base;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        app = new MockWebServer();
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String xml = documents.get(r.getRequestUrl().encodedPath());
                return xml == null ? new MockResponse().setResponseCode(404) : CallSessionTest.twiml(xml);
            }
        });
        app.start();
        int agiPort = freePort();
        int httpPort = freePort();
        Path conf = dir.resolve("twiml-agi.conf");
        Files.writeString(conf, """
                [general]
                agi_bind = 127.0.0.1:%d
                http_bind = 127.0.0.1:%d
                account_sid = %s
                auth_token = %s
                voice_url = %s
                media_dir = %s
                sip_capture = off
                """.formatted(agiPort, httpPort, ACCOUNT, TOKEN, app.url("/voice"), dir.resolve("media")));
        server = TwimlAgiServer.start(ConfigLoader.load(conf), new ToneTts());
        agi = new InetSocketAddress("127.0.0.1", agiPort);
        base = "http://127.0.0.1:" + httpPort;
        client = new TwilioRestClient.Builder(ACCOUNT, TOKEN).httpClient(new LocalTwilioHttpClient(base)).build();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        app.shutdown();
    }

    /** A call to {@code user} rejected busy by the app. */
    void rejectedCall(String user) throws IOException {
        documents.put("/voice", "<Response><Reject reason=\"busy\"/></Response>");
        new FakeAsterisk(cmd -> FakeAsterisk.isInviteRead(cmd)
                ? FakeAsterisk.inviteReply("sip:" + user + "@pbx.example.com") : "200 result=0").run(agi);
    }

    String lastCallSid() throws InterruptedException {
        RecordedRequest r = null;
        for (RecordedRequest next; (next = app.takeRequest(100, TimeUnit.MILLISECONDS)) != null; ) r = next;
        assertNotNull(r, "the app was asked for TwiML");
        return CallSessionTest.form(r).get("CallSid");
    }

    @Test
    void wrongCredentialsAre401WithTwiliosCode() {
        TwilioRestClient wrong = new TwilioRestClient.Builder(ACCOUNT, "not-the-token")
                .httpClient(new LocalTwilioHttpClient(base)).build();
        ApiException e = assertThrows(ApiException.class, () -> Call.fetcher("CA" + "00".repeat(16)).fetch(wrong));
        assertEquals(20003, e.getCode());
        assertEquals(401, e.getStatusCode());
    }

    @Test
    void stoppingAStreamThatIsNotRunningIs20404AndOnlyStoppedIsAStatus() throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> Stream.updater("CA" + "00".repeat(16),
                "MZ" + "00".repeat(16), Stream.UpdateStatus.STOPPED).update(client));
        assertEquals(404, e.getStatusCode());
        assertEquals(20404, e.getCode());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                        + "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/CA" + "00".repeat(16) + "/Streams/notes.json"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Status=in-progress")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("Status must be stopped"), r.body());
    }

    @Test
    void anUnknownCallIs20404() {
        ApiException e = assertThrows(ApiException.class, () -> Call.fetcher("CA" + "00".repeat(16)).fetch(client));
        assertEquals(20404, e.getCode());
        assertEquals(404, e.getStatusCode());
    }

    @Test
    void inboundCallsAreListedFetchedAndPagedAsTheSdkReadsThem() throws Exception {
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rejectedCall(i % 2 == 0 ? "even" : "odd");
            sids.add(lastCallSid());
        }
        Call one = Call.fetcher(sids.get(0)).fetch(client);
        assertEquals(sids.get(0), one.getSid());
        assertEquals(Call.Status.BUSY, one.getStatus());
        assertEquals("inbound", one.getDirection());
        assertEquals("sip:even@pbx.example.com", one.getTo());
        assertNotNull(one.getStartTime());
        assertNotNull(one.getEndTime());
        assertEquals("0", one.getDuration());
        assertNull(one.getPrice());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + sids.get(0) + ".json", one.getUri());

        ResourceSet<Call> all = Call.reader().pageSize(10).read(client);
        List<String> listed = new ArrayList<>();
        all.forEach(c -> listed.add(c.getSid()));
        assertEquals(25, listed.size(), "three pages of 10, 10 and 5 followed through next_page_uri");
        assertEquals(sids.get(24), listed.get(0), "newest first");
        assertTrue(listed.containsAll(sids));

        List<String> evens = new ArrayList<>();
        Call.reader().setTo(new PhoneNumber("sip:even@pbx.example.com")).setStatus(Call.Status.BUSY).pageSize(5)
                .read(client).forEach(c -> evens.add(c.getSid()));
        assertEquals(13, evens.size());
    }

    @Test
    void aLiveCallIsRedirectedAtOnceByAnUpdateWithTwiml() throws Exception {
        documents.put("/voice", "<Response><Say>hello</Say><Pause length=\"30\"/><Say>never heard</Say></Response>");
        CountDownLatch waiting = new CountDownLatch(1);
        List<String> commands = new ArrayList<>();
        FakeAsterisk asterisk = new FakeAsterisk(cmd -> {
            if (FakeAsterisk.isInviteRead(cmd)) return FakeAsterisk.inviteReply("sip:live@pbx.example.com");
            if (cmd.startsWith("WAIT FOR DIGIT")) {
                waiting.countDown();
                return FakeAsterisk.NO_REPLY; // the pause goes on until a new command line stops it
            }
            if (cmd.equals("NOOP")) return "200 result=1\n200 result=0";
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
            return "200 result=0";
        });
        CompletableFuture<List<String>> call = CompletableFuture.supplyAsync(() -> {
            try {
                return asterisk.run(agi);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(waiting.await(10, TimeUnit.SECONDS), "the call reached its Pause");
        String sid = lastCallSid();
        assertEquals(Call.Status.IN_PROGRESS, Call.fetcher(sid).fetch(client).getStatus());
        documents.put("/next", "<Response><Hangup/></Response>");
        Call updated = Call.updater(sid).setUrl(URI.create(app.url("/next").toString())).update(client);
        assertEquals(sid, updated.getSid());
        commands.addAll(call.get(10, TimeUnit.SECONDS));
        // <Hangup/> on the answered call: the script returns and the dialplan's Hangup() sends the BYE
        assertTrue(asterisk.closedByServer, commands.toString());
        assertFalse(commands.contains("HANGUP"), commands.toString());
        assertTrue(commands.contains("NOOP"), "the pause was interrupted: " + commands);
        assertTrue(commands.stream().filter(c -> c.startsWith("STREAM FILE")).count() == 1,
                "the Say after the Pause never ran: " + commands);

        ApiException over = assertThrows(ApiException.class,
                () -> Call.updater(sid).setTwiml(new Twiml("<Response><Say>late</Say></Response>")).update(client));
        assertEquals(21220, over.getCode());
        Call done = Call.fetcher(sid).fetch(client);
        assertEquals(Call.Status.COMPLETED, done.getStatus());
    }

    @Test
    void recordingsAreListedFetchedAndDeletedWithTheirAudio() throws Exception {
        documents.put("/voice", "<Response><Record maxLength=\"5\" action=\"/after\"/></Response>");
        documents.put("/after", "<Response><Hangup/></Response>");
        Pattern record = Pattern.compile("RECORD FILE \"([^\"]+)\".*");
        new FakeAsterisk(cmd -> {
            if (FakeAsterisk.isInviteRead(cmd)) return FakeAsterisk.inviteReply("sip:rec@pbx.example.com");
            Matcher m = record.matcher(cmd);
            if (m.matches()) { // Asterisk writes the file, then says why it stopped
                try {
                    TestWavs.write(Path.of(m.group(1) + ".wav"), TestWavs.tone(2.0, 440));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return "200 result=0 (timeout) endpos=16000";
            }
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=2000";
            return "200 result=0";
        }).run(agi);
        String callSid = firstCallSid();

        List<Recording> all = new ArrayList<>();
        Recording.reader().read(client).forEach(all::add);
        assertEquals(1, all.size());
        Recording r = all.get(0);
        assertEquals(callSid, r.getCallSid());
        assertEquals("2", r.getDuration());
        assertEquals(Recording.Source.RECORDVERB, r.getSource());
        assertEquals(Recording.Status.COMPLETED, r.getStatus());
        assertEquals(1, r.getChannels());
        List<String> ofTheCall = new ArrayList<>();
        callRecordings(client, callSid).forEach(x -> ofTheCall.add(x.getSid()));
        assertEquals(List.of(r.getSid()), ofTheCall);
        assertEquals(r.getSid(), Recording.fetcher(r.getSid()).fetch(client).getSid());
        HttpResponse<byte[]> audio = get("/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/" + r.getSid() + ".wav");
        assertEquals(200, audio.statusCode());

        assertTrue(Recording.deleter(r.getSid()).delete(client));
        assertEquals(404, get("/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/" + r.getSid() + ".wav").statusCode(),
                "the audio is gone with the record");
        ApiException gone = assertThrows(ApiException.class, () -> Recording.fetcher(r.getSid()).fetch(client));
        assertEquals(20404, gone.getCode());
    }

    static List<com.twilio.rest.api.v2010.account.call.Recording> callRecordings(TwilioRestClient client,
                                                                                String callSid) {
        List<com.twilio.rest.api.v2010.account.call.Recording> out = new ArrayList<>();
        com.twilio.rest.api.v2010.account.call.Recording.reader(callSid).read(client).forEach(out::add);
        return out;
    }

    /** The CallSid of the first TwiML request still waiting in the app's queue. */
    String firstCallSid() throws InterruptedException {
        RecordedRequest r = app.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(r);
        return CallSessionTest.form(r).get("CallSid");
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN)
                        .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void creatingACallWithoutTheManagerInterfaceIsAClear503() {
        ApiException e = assertThrows(ApiException.class, () -> Call.creator(new PhoneNumber("sip:bob@example.com"),
                new PhoneNumber("+15550001111"), URI.create("https://app.example.com/voice")).create(client));
        assertEquals(503, e.getStatusCode());
        assertEquals(20503, e.getCode(), "Twilio's Service Unavailable, not an authentication error");
        assertTrue(e.getMessage().contains("Manager Interface"), e.getMessage());
    }

    @Test
    void updateParametersThisServerDoesNotApplyAreRefusedNotIgnored() {
        String sid = "CA" + "00".repeat(16);
        URI next = URI.create("https://app.example.com/next");
        for (CallUpdater u : List.of(Call.updater(sid).setUrl(next).setStatusCallback("https://app.example.com/s"),
                Call.updater(sid).setUrl(next).setTimeLimit(30), Call.updater(sid).setUrl(next)
                        .setFallbackUrl("https://app.example.com/fallback"))) {
            ApiException e = assertThrows(ApiException.class, () -> u.update(client));
            assertEquals(400, e.getStatusCode());
            assertTrue(e.getMessage().contains("cannot be changed"), e.getMessage());
        }
    }

    @Test
    void unsupportedParametersAreRefusedNotIgnored() {
        ApiException e = assertThrows(ApiException.class, () -> Call.creator(new PhoneNumber("sip:bob@example.com"),
                new PhoneNumber("+15550001111"), URI.create("https://app.example.com/voice"))
                .setMachineDetection("Enable").create(client));
        assertEquals(400, e.getStatusCode());
        assertTrue(e.getMessage().contains("MachineDetection"), e.getMessage());
    }
}
