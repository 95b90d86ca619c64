package io.twimlagi.ami;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake Asterisk manager on loopback speaking AMI as asterisk-java expects it: the banner line, then blocks of
 * {@code Key: value} lines (CRLF) ended by an empty line. Answers Challenge (MD5), Login, CoreSettings, Ping and
 * Logoff itself; other actions go to handlers registered with {@link #on}, or get "Invalid/unknown command".
 * It can stop listening (Asterisk down) and listen again on the same port, drop its connections, stay silent.
 */
final class FakeAmi implements AutoCloseable {
    static final String USER = "twiml-agi";
    static final String CHALLENGE = "123456789";

    /** One action received: its headers (case-insensitive names, repeated ones joined by '\n'). */
    record Action(Map<String, String> headers) {
        String get(String name) {
            return headers.get(name);
        }

        String name() {
            return headers.get("Action");
        }
    }

    interface Handler {
        void handle(Action action, Session session) throws IOException;
    }

    /** A client connection. */
    final class Session {
        private final Socket socket;
        private final OutputStream out;
        volatile boolean loggedIn;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** Writes one block: the lines, then the empty line. */
        synchronized void send(String... lines) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String l : lines) sb.append(l).append("\r\n");
            out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Asterisk's first line: the banner alone, no empty line after it. */
        synchronized void banner() throws IOException {
            out.write("Asterisk Call Manager/11.0.0\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** A response to {@code action} (with its ActionID). */
        void reply(Action action, String... lines) throws IOException {
            List<String> all = new ArrayList<>();
            all.add(lines[0]);
            if (action.get("ActionID") != null) all.add("ActionID: " + action.get("ActionID"));
            all.addAll(List.of(lines).subList(1, lines.length));
            send(all.toArray(String[]::new));
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    private final int port;
    private volatile String secret;
    private volatile ServerSocket server;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Action> received = new CopyOnWriteArrayList<>();
    private volatile boolean answerPings = true;
    private int logins;

    private FakeAmi(int port, String secret) {
        this.port = port;
        this.secret = secret;
    }

    /** Listening on a free loopback port. */
    static FakeAmi start(String secret) throws IOException {
        FakeAmi f = new FakeAmi(freePort(), secret);
        f.listen();
        return f;
    }

    /** Not listening yet (Asterisk down): {@link #listen} later. */
    static FakeAmi notListening(String secret) throws IOException {
        return new FakeAmi(freePort(), secret);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    void secret(String s) {
        secret = s;
    }

    void answerPings(boolean answer) {
        answerPings = answer;
    }

    void on(String action, Handler handler) {
        handlers.put(action.toLowerCase(Locale.ROOT), handler);
    }

    /** Actions received so far, except the login steps and pings. */
    List<Action> actions() {
        return received.stream().filter(a -> !List.of("challenge", "login", "coresettings", "ping", "logoff")
                .contains(a.name().toLowerCase(Locale.ROOT))).toList();
    }

    synchronized int logins() {
        return logins;
    }

    /** Waits until {@code n} logins succeeded in all. */
    synchronized void awaitLogins(int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (logins < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("only " + logins + " of " + n + " logins within " + max);
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Sends an event to every logged-in session. */
    void event(String... lines) throws IOException {
        for (Session s : sessions) {
            if (s.loggedIn) s.send(lines);
        }
    }

    synchronized void listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread t = new Thread(() -> accept(s), "fake-ami-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Closes every connection (Asterisk's end of the TCP connection goes away); keeps listening. */
    void dropConnections() {
        sessions.forEach(Session::close);
        sessions.clear();
    }

    /** Asterisk down: no listener, no connections. */
    synchronized void stopListening() throws IOException {
        if (server != null) server.close();
        server = null;
        dropConnections();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket socket = s.accept();
                Session session = new Session(socket);
                sessions.add(session);
                Thread t = new Thread(() -> serve(session), "fake-ami-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Session session) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(session.socket.getInputStream(),
                StandardCharsets.UTF_8))) {
            session.banner();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(),
                                (a, b) -> a + "\n" + b);
                    }
                    continue;
                }
                if (headers.isEmpty()) continue;
                Action action = new Action(headers);
                headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                received.add(action);
                handle(action, session);
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            session.close();
            sessions.remove(session);
        }
    }

    private void handle(Action a, Session s) throws IOException {
        switch (a.name().toLowerCase(Locale.ROOT)) {
            case "challenge" -> s.reply(a, "Response: Success", "Challenge: " + CHALLENGE);
            case "login" -> {
                if (USER.equals(a.get("Username")) && md5(CHALLENGE + secret).equals(a.get("Key"))) {
                    s.loggedIn = true;
                    s.reply(a, "Response: Success", "Message: Authentication accepted");
                    synchronized (this) {
                        logins++;
                        notifyAll();
                    }
                } else {
                    s.reply(a, "Response: Error", "Message: Authentication failed");
                    s.close();
                }
            }
            case "coresettings" -> s.reply(a, "Response: Success", "AMIversion: 11.0.0",
                    "AsteriskVersion: 22.10.1");
            case "ping" -> {
                if (answerPings) s.reply(a, "Response: Success", "Ping: Pong", "Timestamp: 1.0");
            }
            case "logoff" -> {
                s.reply(a, "Response: Goodbye", "Message: Thanks for all the fish.");
                s.close();
            }
            default -> {
                Handler h = handlers.get(a.name().toLowerCase(Locale.ROOT));
                if (h != null) h.handle(a, s); else s.reply(a, "Response: Error", "Message: Invalid/unknown command");
            }
        }
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        stopListening();
    }
}
