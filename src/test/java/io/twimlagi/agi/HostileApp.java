package io.twimlagi.agi;

import io.twimlagi.config.Domain;
import io.twimlagi.media.ToneTts;
import io.twimlagi.twiml.HostileTwiml;
import io.twimlagi.twiml.HttpMethod;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The webhook app of the argument fuzz test, one call at a time: it serves the call's {@link HostileTwiml}
 * documents (under {@code /doc/}: the voice URL, Redirects, actions, screening and wait URLs) up to a number per
 * call and then {@code <Hangup/>}, a short WAV under {@code /audio/} (Play), and 204 for callbacks (under
 * {@code /cb/}, or wherever their parameters say they are one).
 */
final class HostileApp implements AutoCloseable {
    private static final byte[] AUDIO = ToneTts.wav(8000, 1, 0.1, 440);
    private static final String HANGUP = "<Response><Hangup/></Response>";

    /** One call: its documents (kept for the failure message), its domain, how it ended. */
    static final class Case {
        final int number;
        final long seed;
        final Domain domain;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final HostileTwiml documents;
        private final int maxDocuments;
        private final List<String> served = new ArrayList<>();

        Case(int number, long seed, String base, String domainSid, int maxDocuments) {
            Random rnd = new Random(seed);
            this.number = number;
            this.seed = seed;
            this.maxDocuments = maxDocuments;
            this.documents = new HostileTwiml(rnd, base);
            this.domain = new Domain("pbx.example.com", domainSid, base + "/doc/voice",
                    rnd.nextBoolean() ? HttpMethod.POST : HttpMethod.GET,
                    rnd.nextInt(3) == 0 ? base + "/doc/fallback" : null, HttpMethod.POST, null, HttpMethod.POST);
        }

        private synchronized MockResponse next() {
            if (served.size() >= maxDocuments) return twiml(HANGUP);
            String body = new String(documents.document(), StandardCharsets.UTF_8);
            served.add(body);
            return twiml(body);
        }

        /** The case and the documents it was served, for a failure message. */
        synchronized String describe() {
            StringBuilder b = new StringBuilder("case ").append(number);
            for (String d : served) {
                b.append("\n  document: ").append(d.length() > 3000 ? d.substring(0, 3000) + "…" : d);
            }
            return b.toString();
        }
    }

    private final MockWebServer web = new MockWebServer();
    private volatile Case current;

    HostileApp() throws IOException {
        web.setServerSocketFactory(new NoDelayServerSockets());
        web.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl() == null ? "/" : request.getRequestUrl().encodedPath();
                if (path.contains("/cb/") || callback(request)) return new MockResponse().setResponseCode(204);
                if (path.contains("/audio/")) {
                    return new MockResponse().addHeader("Content-Type", "audio/wav")
                            .setBody(new Buffer().write(AUDIO));
                }
                Case c = current;
                return c == null ? twiml(HANGUP) : c.next();
            }
        });
        web.start();
    }

    /**
     * A status or recording callback, also when its URL resolved to a document's (a {@code statusCallback=""} or
     * {@code "?"}): sent on other threads, it must not take one of the call's documents.
     */
    private static boolean callback(RecordedRequest request) {
        String query = request.getRequestUrl() == null ? null : request.getRequestUrl().encodedQuery();
        String form = (query == null ? "" : query) + "&" + request.getBody().snapshot().utf8();
        return form.contains("CallbackSource=") || form.contains("StatusCallbackEvent=")
                || form.contains("RecordingStatus=");
    }

    /** The app's URL, e.g. {@code http://127.0.0.1:41234}. */
    String base() {
        return "http://127.0.0.1:" + web.getPort();
    }

    /** From now on the documents are this case's. */
    void serve(Case c) {
        current = c;
    }

    /** Forgets the requests MockWebServer recorded (thousands of calls would keep them all). */
    void forgetRequests() throws InterruptedException {
        while (web.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // dropped
        }
    }

    @Override
    public void close() throws IOException {
        web.shutdown();
    }

    private static MockResponse twiml(String body) {
        return new MockResponse().addHeader("Content-Type", "text/xml").setBody(body);
    }

    /**
     * The app's sockets without Nagle's algorithm: MockWebServer writes a response's head and body apart, and with
     * the client's delayed ACK every fetch would wait 40 ms (issue 12 item 8), which only slows the fuzz down.
     */
    private static final class NoDelayServerSockets extends ServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket s = super.accept();
                    s.setTcpNoDelay(true);
                    return s;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
            throw new UnsupportedOperationException();
        }
    }
}
