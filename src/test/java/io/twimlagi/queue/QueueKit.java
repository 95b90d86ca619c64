package io.twimlagi.queue;

import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.ToneTts;
import io.twimlagi.server.CallSessionTest;
import io.twimlagi.server.Services;
import io.twimlagi.server.TestServices;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import io.twimlagi.twiml.Verb;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The queue verbs on the composition root ({@link TestServices}) against a real HTTP app (MockWebServer serving
 * documents by path and recording each request with its form), run on FakeCalls that take their time.
 */
final class QueueKit implements AutoCloseable {
    record Hit(String path, Map<String, String> params) {
    }

    final Services services;
    final MockWebServer app = new MockWebServer();
    final Map<String, String> documents = new ConcurrentHashMap<>();
    private final List<Hit> hits = new ArrayList<>();

    QueueKit(Path media) throws IOException {
        services = TestServices.build(media);
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getRequestUrl().encodedPath();
                Map<String, String> params = r.getBodySize() > 0 ? CallSessionTest.form(r) : Map.of(); // a GET
                synchronized (hits) {
                    hits.add(new Hit(path, params));
                    hits.notifyAll();
                }
                if (path.endsWith(".wav")) {
                    return new MockResponse().setResponseCode(200).addHeader("Content-Type", "audio/wav")
                            .setBody(new okio.Buffer().write(ToneTts.wav(8000, 1, 0.5, 600)));
                }
                String xml = documents.get(path);
                return xml == null ? new MockResponse().setResponseCode(500) : CallSessionTest.twiml(xml);
            }
        });
        app.start();
    }

    QueueRegistry queues() {
        return services.queues().registry();
    }

    String url(String path) {
        return app.url(path).toString();
    }

    /** A FakeCall whose pauses and waits take real time. */
    static FakeCall call() {
        FakeCall c = new FakeCall();
        c.waitsForReal = true;
        return c;
    }

    CallContext ctx(FakeCall call, String callSid) {
        Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), url("/voice"), HttpMethod.POST, null,
                HttpMethod.POST, null, HttpMethod.POST);
        SipInvite invite = new SipInvite("sip:+15551234567@pbx.example.com", "sip:alice@client.example.com",
                "pbx.example.com", callSid + "@127.0.0.1", "127.0.0.1", Map.of());
        return new CallContext(call, callSid, TestServices.ACCOUNT, invite, domain);
    }

    static Verb verb(String xml) {
        try {
            return TwimlParser.parse(("<Response>" + xml + "</Response>").getBytes(StandardCharsets.UTF_8)).verbs()
                    .get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one verb (as the call's TwiML would, document at /voice) on another thread. */
    CompletableFuture<Outcome> start(String xml, CallContext ctx) {
        Verb v = verb(xml);
        return CompletableFuture.supplyAsync(() -> services.verbs().execute(v, ctx));
    }

    Outcome run(String xml, CallContext ctx) {
        return services.verbs().execute(verb(xml), ctx);
    }

    /** Waits for the {@code n}th request (from 1) to {@code path} whose parameters match. */
    Hit await(String path, Predicate<Map<String, String>> which, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + Duration.ofSeconds(10).toMillis();
        synchronized (hits) {
            while (true) {
                List<Hit> found = matching(path, which);
                if (found.size() >= n) return found.get(n - 1);
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) fail("no request #" + n + " to " + path + " in " + hits);
                hits.wait(left);
            }
        }
    }

    Hit await(String path, String callSid, int n) throws InterruptedException {
        return await(path, p -> callSid.equals(p.get("CallSid")), n);
    }

    List<Hit> matching(String path, Predicate<Map<String, String>> which) {
        synchronized (hits) {
            return hits.stream().filter(h -> h.path().equals(path) && which.test(h.params())).toList();
        }
    }

    List<Hit> hits(String path, String callSid) {
        return matching(path, p -> callSid.equals(p.get("CallSid")));
    }

    static String sid(int n) {
        return "CA" + String.format("%032x", n);
    }

    @Override
    public void close() throws IOException {
        services.close();
        app.shutdown();
    }
}
