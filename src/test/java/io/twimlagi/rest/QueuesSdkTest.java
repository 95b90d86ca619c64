package io.twimlagi.rest;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Queue;
import com.twilio.rest.api.v2010.account.queue.Member;
import io.twimlagi.agi.FakeAsterisk;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.media.ToneTts;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.twimlagi.rest.RestApiSdkTest.ACCOUNT;
import static io.twimlagi.rest.RestApiSdkTest.TOKEN;
import static io.twimlagi.rest.RestApiSdkTest.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Queues resource and its Members, driven by Twilio's own Java SDK, over a whole server whose callers come from
 * a fake Asterisk speaking the AGI wire protocol and wait in a queue.
 */
class QueuesSdkTest {
    @TempDir
    Path dir;
    MockWebServer app;
    final Map<String, String> documents = new java.util.concurrent.ConcurrentHashMap<>();
    final List<Map<String, String>> requests = new ArrayList<>();
    TwimlAgiServer server;
    InetSocketAddress agi;
    TwilioRestClient client;

    @BeforeEach
    void start() throws Exception {
        app = new MockWebServer();
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                Map<String, String> p = new java.util.LinkedHashMap<>(CallSessionTest.form(r));
                p.put("path", r.getRequestUrl().encodedPath());
                synchronized (requests) {
                    requests.add(p);
                    requests.notifyAll();
                }
                String xml = documents.get(r.getRequestUrl().encodedPath());
                return xml == null ? new MockResponse().setResponseCode(204) : CallSessionTest.twiml(xml);
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
        client = new TwilioRestClient.Builder(ACCOUNT, TOKEN)
                .httpClient(new LocalTwilioHttpClient("http://127.0.0.1:" + httpPort)).build();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        app.shutdown();
    }

    /** A caller that runs the app's TwiML; its waits last until a new command interrupts them. */
    CompletableFuture<List<String>> caller(String user, CountDownLatch waiting) {
        FakeAsterisk asterisk = new FakeAsterisk(cmd -> {
            if (FakeAsterisk.isInviteRead(cmd)) return FakeAsterisk.inviteReply("sip:" + user + "@pbx.example.com");
            if (cmd.startsWith("WAIT FOR DIGIT")) {
                waiting.countDown();
                return FakeAsterisk.NO_REPLY;
            }
            if (cmd.equals("NOOP")) return "200 result=1\n200 result=0";
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
            return "200 result=0";
        });
        return CompletableFuture.supplyAsync(() -> {
            try {
                return asterisk.run(agi);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    Map<String, String> await(String path, String param, String value) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        synchronized (requests) {
            while (true) {
                for (Map<String, String> r : requests) {
                    if (path.equals(r.get("path")) && value.equals(r.get(param))) return r;
                }
                long left = deadline - System.currentTimeMillis();
                assertTrue(left > 0, "no " + path + " with " + param + "=" + value + " in " + requests);
                requests.wait(left);
            }
        }
    }

    @Test
    void queuesAreCreatedReadUpdatedAndDeleted() {
        Queue q = Queue.creator("support").setMaxSize(10).create(client);
        assertTrue(q.getSid().matches("QU[0-9a-f]{32}"), q.getSid());
        assertEquals("support", q.getFriendlyName());
        assertEquals(10, q.getMaxSize());
        assertEquals(0, q.getCurrentSize());
        assertEquals(0, q.getAverageWaitTime());
        assertEquals(ACCOUNT, q.getAccountSid());
        assertNotNull(q.getDateCreated());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Queues/" + q.getSid() + ".json", q.getUri());
        assertEquals(1000, Queue.creator("sales").create(client).getMaxSize(), "Twilio's default size");

        List<String> names = new ArrayList<>();
        Queue.reader().pageSize(1).read(client).forEach(x -> names.add(x.getFriendlyName()));
        assertEquals(List.of("support", "sales"), names, "two pages of one, oldest first");
        assertEquals(q.getSid(), Queue.fetcher(q.getSid()).fetch(client).getSid());

        Queue renamed = Queue.updater(q.getSid()).setFriendlyName("help").setMaxSize(20).update(client);
        assertEquals("help", renamed.getFriendlyName());
        assertEquals(20, renamed.getMaxSize());
        ApiException dup = assertThrows(ApiException.class, () -> Queue.creator("sales").create(client));
        assertEquals(400, dup.getStatusCode());
        ApiException big = assertThrows(ApiException.class,
                () -> Queue.updater(q.getSid()).setMaxSize(5001).update(client));
        assertEquals(400, big.getStatusCode());

        assertTrue(Queue.deleter(q.getSid()).delete(client));
        ApiException gone = assertThrows(ApiException.class, () -> Queue.fetcher(q.getSid()).fetch(client));
        assertEquals(20404, gone.getCode());
    }

    @Test
    void waitingCallersAreMembersAndFrontOrACallSidIsDequeuedIntoNewTwiml() throws Exception {
        documents.put("/voice", "<Response><Enqueue waitUrl=\"/wait\" action=\"/left\">support</Enqueue></Response>");
        documents.put("/wait", "<Response><Pause length=\"30\"/></Response>");
        documents.put("/next", "<Response><Say>An agent will call you back</Say><Hangup/></Response>");
        Queue q = Queue.creator("support").create(client);
        CountDownLatch aWaits = new CountDownLatch(1);
        CompletableFuture<List<String>> a = caller("alice", aWaits);
        assertTrue(aWaits.await(10, TimeUnit.SECONDS));
        CountDownLatch bWaits = new CountDownLatch(1);
        CompletableFuture<List<String>> b = caller("bob", bWaits);
        assertTrue(bWaits.await(10, TimeUnit.SECONDS));
        String sidA = await("/voice", "To", "sip:alice@pbx.example.com").get("CallSid");
        String sidB = await("/voice", "To", "sip:bob@pbx.example.com").get("CallSid");

        List<Member> members = new ArrayList<>();
        Member.reader(q.getSid()).read(client).forEach(members::add);
        assertEquals(List.of(sidA, sidB), members.stream().map(Member::getCallSid).toList());
        assertEquals(List.of(1, 2), members.stream().map(Member::getPosition).toList());
        assertEquals(q.getSid(), members.get(0).getQueueSid());
        assertNotNull(members.get(0).getDateEnqueued());
        assertTrue(members.get(0).getWaitTime() >= 0);
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Queues/" + q.getSid() + "/Members/" + sidA + ".json",
                members.get(0).getUri());
        assertEquals(sidA, Member.fetcher(q.getSid(), "Front").fetch(client).getCallSid());
        assertEquals(2, Member.fetcher(q.getSid(), sidB).fetch(client).getPosition());
        assertEquals(2, Queue.fetcher(q.getSid()).fetch(client).getCurrentSize());
        ApiException busy = assertThrows(ApiException.class, () -> Queue.deleter(q.getSid()).delete(client));
        assertEquals(400, busy.getStatusCode());

        Member front = Member.updater(q.getSid(), "Front", URI.create(app.url("/next").toString()))
                .setMethod(HttpMethod.POST).update(client);
        assertEquals(sidA, front.getCallSid());
        assertEquals(1, front.getPosition());
        List<String> commandsA = a.get(10, TimeUnit.SECONDS);
        assertTrue(commandsA.stream().anyMatch(c -> c.startsWith("STREAM FILE")), "the new TwiML's Say played");
        // then <Hangup/>: the script returns (the dialplan's Hangup() ends the answered call), no command after the Say
        assertTrue(commandsA.get(commandsA.size() - 1).startsWith("STREAM FILE"), commandsA.toString());
        assertEquals("redirected", await("/left", "CallSid", sidA).get("QueueResult"), "the action is told");
        assertEquals(sidA, await("/next", "CallSid", sidA).get("CallSid"));

        assertEquals(1, Member.fetcher(q.getSid(), sidB).fetch(client).getPosition(), "B moved up");
        Member byCallSid = Member.updater(q.getSid(), sidB, URI.create(app.url("/next").toString())).update(client);
        assertEquals(sidB, byCallSid.getCallSid());
        List<String> commandsB = b.get(10, TimeUnit.SECONDS);
        assertTrue(commandsB.get(commandsB.size() - 1).startsWith("STREAM FILE"), commandsB.toString());
        assertEquals(0, Queue.fetcher(q.getSid()).fetch(client).getCurrentSize());
        ApiException none = assertThrows(ApiException.class, () -> Member.fetcher(q.getSid(), "Front").fetch(client));
        assertEquals(20404, none.getCode());
        ApiException noUrl = assertThrows(ApiException.class, () -> Member.updater(q.getSid(), "Front",
                URI.create("ftp://example.com/x")).update(client));
        assertEquals(400, noUrl.getStatusCode());
    }
}
