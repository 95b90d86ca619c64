package io.twimlagi.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.twimlagi.recording.RecordingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own HTTP endpoint ({@code http_bind}).
 * <ul>
 *   <li>{@code GET|HEAD /health}: {@code {"status":"ok","activeCalls":N}}, no authentication.</li>
 *   <li>{@code GET|HEAD /Recordings/{RecordingSid}[.wav|.mp3]} and Twilio's REST form
 *       {@code /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}[.wav|.mp3]}: the recording, WAV
 *       ({@code audio/x-wav}) without extension or with {@code .wav}, MP3 ({@code audio/mpeg}) with {@code .mp3}.
 *       HTTP Basic authentication with the AccountSid as user name and the AuthToken as password.</li>
 * </ul>
 */
public final class EmbeddedHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedHttpServer.class);

    static final int THREADS = 8;
    static final String REALM = "twiml-agi";
    private static final Pattern SHORT_PATH =
            Pattern.compile("/Recordings/(RE[0-9a-fA-F]{32})(\\.wav|\\.mp3)?");
    private static final Pattern REST_PATH = Pattern.compile(
            "/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})(\\.wav|\\.mp3)?");

    private final HttpServer server;
    private final ExecutorService executor;
    private final RecordingStore recordings;
    private final String accountSid;
    private final byte[] expectedCredentialsHash;

    /** Only {@code /health}: every recording path answers 404. */
    public EmbeddedHttpServer(InetSocketAddress bind, IntSupplier activeCalls) throws IOException {
        this(bind, activeCalls, null, null, null);
    }

    /**
     * @param recordings the recordings served under {@code /Recordings/}; null serves none (404)
     * @param accountSid the Basic-auth user name (and the only AccountSid accepted in the REST-style path)
     * @param authToken  the Basic-auth password
     */
    public EmbeddedHttpServer(InetSocketAddress bind, IntSupplier activeCalls, RecordingStore recordings,
                              String accountSid, String authToken) throws IOException {
        Objects.requireNonNull(activeCalls, "activeCalls");
        if (recordings != null) {
            Objects.requireNonNull(accountSid, "accountSid");
            Objects.requireNonNull(authToken, "authToken");
            if (authToken.isEmpty()) throw new IllegalArgumentException("authToken is empty");
        }
        this.recordings = recordings;
        this.accountSid = accountSid;
        this.expectedCredentialsHash = recordings == null ? null : sha256(accountSid + ":" + authToken);
        server = HttpServer.create(bind, 64);
        server.createContext("/health", exchange -> {
            try (exchange) {
                if (!isGetOrHead(exchange)) {
                    methodNotAllowed(exchange);
                    return;
                }
                send(exchange, 200, "application/json",
                        "{\"status\":\"ok\",\"activeCalls\":" + activeCalls.getAsInt() + "}\n");
            }
        });
        server.createContext("/Recordings/", this::recording);
        server.createContext("/2010-04-01/", this::recording);
        server.createContext("/", exchange -> {
            try (exchange) {
                send(exchange, 404, "text/plain", "not found\n");
            }
        });
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void recording(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isGetOrHead(exchange)) {
                methodNotAllowed(exchange);
                return;
            }
            if (recordings == null) {
                send(exchange, 404, "text/plain", "not found\n");
                return;
            }
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
                send(exchange, 401, "text/plain", "authentication required\n");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String sid;
            String ext;
            Matcher m = SHORT_PATH.matcher(path == null ? "" : path);
            Matcher rest = REST_PATH.matcher(path == null ? "" : path);
            if (m.matches()) {
                sid = m.group(1);
                ext = m.group(2);
            } else if (rest.matches() && rest.group(1).equals(accountSid)) {
                sid = rest.group(2);
                ext = rest.group(3);
            } else {
                send(exchange, 404, "text/plain", "not found\n");
                return;
            }
            if (".mp3".equals(ext)) {
                if (!recordings.exists(sid)) {
                    send(exchange, 404, "text/plain", "recording not found\n");
                    return;
                }
                Optional<Path> mp3;
                try {
                    mp3 = recordings.mp3(sid);
                } catch (IOException e) {
                    log.warn("recording {}: MP3 encoding failed: {}", sid, e.getMessage());
                    send(exchange, 500, "text/plain", "MP3 encoding failed\n");
                    return;
                }
                if (mp3.isEmpty()) {
                    send(exchange, 404, "text/plain", recordings.exists(sid)
                            ? "MP3 not available: the lame encoder is not installed on this server;"
                              + " request the recording without extension or with .wav\n"
                            : "recording not found\n");
                    return;
                }
                sendFile(exchange, mp3.get(), "audio/mpeg");
            } else {
                Optional<Path> wav = recordings.wav(sid);
                if (wav.isEmpty()) {
                    send(exchange, 404, "text/plain", "recording not found\n");
                    return;
                }
                sendFile(exchange, wav.get(), "audio/x-wav");
            }
        } catch (IOException | RuntimeException e) {
            log.debug("HTTP {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    /** Basic auth, compared in constant time (hashes of equal length, {@link MessageDigest#isEqual}). */
    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) return false;
        header = header.strip();
        if (header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) return false;
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(credentials), expectedCredentialsHash);
    }

    private static void sendFile(HttpExchange exchange, Path file, String type) throws IOException {
        InputStream in;
        long length;
        try {
            in = Files.newInputStream(file);
            length = Files.size(file);
        } catch (NoSuchFileException e) {
            send(exchange, 404, "text/plain", "recording not found\n");
            return;
        }
        try (in) {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Accept-Ranges", "none");
            if (isHead(exchange)) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            // length 0 would mean chunked to this server; an empty file is sent as "no body"
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            if (length == 0) return;
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] buf = new byte[1 << 16];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) break;
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }

    private static boolean isGetOrHead(HttpExchange exchange) {
        String m = exchange.getRequestMethod();
        return m.equals("GET") || m.equals("HEAD");
    }

    private static boolean isHead(HttpExchange exchange) {
        return exchange.getRequestMethod().equals("HEAD");
    }

    private static void methodNotAllowed(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "method not allowed\n");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        if (isHead(exchange)) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code GET /metrics} (Prometheus text format). */
    /**
     * Answers Asterisk's realtime lookups (res_config_curl POSTs {@code name=...} or {@code id=...} to
     * {@code /realtime/<family>/single}): music-on-hold classes of conference waitUrls and the run-time PJSIP
     * endpoints and auths of {@code <Sip username password>}. Every other request gets an empty answer (no
     * rows). Only loopback clients are answered, since auth objects carry passwords.
     */
    public void serveRealtime(io.twimlagi.media.HoldMusicClasses classes, io.twimlagi.sip.CredentialEndpoints sip) {
        server.createContext("/realtime/", exchange -> {
            try (exchange) {
                if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
                    send(exchange, 403, "text/plain", "realtime lookups only from this host\n");
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                String form = new String(exchange.getRequestBody().readNBytes(4096), StandardCharsets.UTF_8);
                if (form.isEmpty() && exchange.getRequestURI().getRawQuery() != null) {
                    form = exchange.getRequestURI().getRawQuery();
                }
                String body = switch (path) {
                    case "/realtime/musiconhold/single" -> classes.realtimeReply(form);
                    case "/realtime/ps_endpoints/single" -> sip.realtimeReply("ps_endpoints", form);
                    case "/realtime/ps_auths/single" -> sip.realtimeReply("ps_auths", form);
                    default -> "";
                };
                send(exchange, 200, "text/plain", body);
            }
        });
    }

    public void serveMetrics(io.twimlagi.metrics.Metrics metrics) {
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!isGetOrHead(exchange)) {
                    methodNotAllowed(exchange);
                    return;
                }
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
            }
        });
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
