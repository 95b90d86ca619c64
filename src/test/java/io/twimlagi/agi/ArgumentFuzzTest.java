package io.twimlagi.agi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.twimlagi.media.ToneTts;
import io.twimlagi.media.Tts;
import io.twimlagi.server.Services;
import io.twimlagi.server.TestCalls;
import io.twimlagi.server.TestServices;
import io.twimlagi.twiml.HostileTwiml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The executors' argument building under fuzzing (issue 12): thousands of random, valid but hostile TwiML
 * documents ({@link HostileTwiml}: every executed verb, values full of quotes, separators, {@code ${...}},
 * {@code $[...]}, control characters, unicode, very long text) are served by an app ({@link HostileApp}) and run
 * through the real pipeline — FastAGI server, INVITE read, a {@code CallSession} on the composition root's
 * services, the executors, {@code AgiCall} — against a fake Asterisk over TCP that answers every command plausibly
 * ({@link PlausibleAsterisk}, answered Dial legs included). Every command line a connection receives must pass
 * {@link AgiLineRules}; no exception may escape a call or any other thread; every call must end in a defined way
 * (answered: no rejection; never answered: a PJSIPHangup rejection last) within a bound, the server closing the
 * connection. Seeded per case: a failure names its case, which {@code -Dfuzz.case=<n>} runs alone
 * ({@code -Dfuzz.cases=<n>} sets how many, {@code -Dfuzz.print} prints every command line).
 */
class ArgumentFuzzTest {
    private static final long SEED = 0x7A61C0DEL;
    private static final int CASES = Integer.getInteger("fuzz.cases", 2000);
    /** Calls at a time: each waits on the fake and the app more than it computes. */
    private static final int WORKERS = 3;
    /** Documents the app serves per call before it says Hangup (Redirects and actions follow each other). */
    private static final int DOCUMENTS_PER_CALL = 4;
    /** Longest a call may take against a fake that answers at once (nothing in a call waits on a clock). */
    private static final Duration CALL_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path media;
    /** Exceptions no code caught, on any thread (a Dial session's, a callback's...). */
    private final List<String> elsewhere = new ArrayList<>();
    /** The case of each call in progress, by its channel name. */
    private final Map<String, HostileApp.Case> calls = new ConcurrentHashMap<>();
    private final Map<String, Integer> kinds = new TreeMap<>();
    private final List<String> firstOfEachKind = new ArrayList<>();
    /** How often each command (EXEC by application, SET VARIABLE by function) was checked. */
    private final Map<String, Integer> reached = new TreeMap<>();
    private int lines;

    @Test
    void hostileDocumentsNeverBecomeUnescapedAgiCommands() throws Exception {
        Thread.UncaughtExceptionHandler uncaught = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            synchronized (elsewhere) {
                elsewhere.add(trace(e) + "\n      on thread " + thread.getName());
            }
        });
        ProxySelector proxies = ProxySelector.getDefault();
        ProxySelector.setDefault(new LoopbackOnly()); // a URL naming another host never leaves this machine
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        root.setLevel(Level.OFF); // thousands of calls: their log lines would only slow the run down
        long started = System.nanoTime();
        int only = Integer.getInteger("fuzz.case", -1);
        InetSocketAddress agi = FastAgiServerTest.freePort();
        String mediaDir = media.toAbsolutePath().toString();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try (Services services = TestServices.build(media, mediaDir, tone());
             FastAgiServer server = new FastAgiServer(agi, 4 * WORKERS, AgiScripts.of((call, invite, channel) -> {
                 HostileApp.Case c = calls.get(channel);
                 try {
                     TestCalls.runInbound(services, call, invite, c.domain, channel);
                     c.ended.complete(null);
                 } catch (RuntimeException | Error e) {
                     c.ended.completeExceptionally(e);
                     throw e;
                 }
             }, services.dialSessions()))) {
            AgiLineRules rules = new AgiLineRules(mediaDir);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < (only >= 0 ? 1 : WORKERS); w++) {
                int worker = w;
                done.add(workers.submit(() -> {
                    try (HostileApp app = new HostileApp()) {
                        if (only >= 0) call(only, app, agi, rules);
                        else for (int n = worker; n < CASES; n += WORKERS) call(n, app, agi, rules);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(CASES * CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            workers.shutdownNow();
            Thread.setDefaultUncaughtExceptionHandler(uncaught);
            root.setLevel(level);
            ProxySelector.setDefault(proxies);
        }
        synchronized (elsewhere) {
            for (String e : elsewhere) problem(null, "an exception escaped on another thread: " + e);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        if (!kinds.isEmpty()) {
            fail(kinds.values().stream().mapToInt(Integer::intValue).sum() + " problems; by kind " + kinds
                    + "\nthe first of each (seed " + SEED + "):\n" + String.join("\n\n", firstOfEachKind));
        }
        System.out.printf("argument fuzz: %d calls, %d AGI command lines checked in %d s: %s%n",
                only >= 0 ? 1 : CASES, lines, seconds, reached);
        if (only >= 0) return;
        // the generator reaches every command that carries the app's text (a test of the fuzzer, not the server)
        assertTrue(lines > 8 * CASES, "the fuzz reached too few commands: " + lines);
        for (String what : List.of("EXEC MSet", "EXEC SendDTMF", "EXEC Dial", "EXEC Transfer", "EXEC ConfBridge",
                "EXEC MixMonitor", "EXEC PJSIPHangup", "STREAM FILE", "RECORD FILE", "WAIT FOR",
                "SET VARIABLE PJSIP_INHERITABLE_HEADER()", "SET VARIABLE CALLERID()", "SET VARIABLE CONFBRIDGE()",
                "leg GET FULL", "leg STREAM FILE", "leg EXEC SendDTMF")) {
            assertTrue(reached.getOrDefault(what, 0) >= CASES / 400, what + " reached too rarely: " + reached);
        }
    }

    /** One call of case {@code n}: served by {@code app}, played by a fake Asterisk, every line checked. */
    private void call(int n, HostileApp app, InetSocketAddress agi, AgiLineRules rules) throws Exception {
        HostileApp.Case c = new HostileApp.Case(n, SEED + n, app.base(), "SD" + String.format("%032x", n % WORKERS),
                DOCUMENTS_PER_CALL);
        PlausibleAsterisk asterisk = new PlausibleAsterisk(new Random((SEED + n) * 31), agi, CALL_BOUND);
        String uniqueId = "1700000000." + n;
        FakeAsterisk call = asterisk.call(uniqueId);
        calls.put("PJSIP/sipp-" + uniqueId, c);
        app.serve(c);
        long start = System.nanoTime();
        try {
            call.run(agi);
        } catch (IOException e) {
            problem(c, "the server did not answer within " + CALL_BOUND.toSeconds() + " s: " + e);
        }
        try {
            c.ended.get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            problem(c, "an exception escaped the call: " + trace(e.getCause() != null ? e.getCause() : e));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms > CALL_BOUND.toMillis()) problem(c, "the call took " + ms + " ms");
        calls.remove("PJSIP/sipp-" + uniqueId);
        List<FakeAsterisk> sessions = new ArrayList<>(List.of(call));
        sessions.addAll(asterisk.legSessions);
        int checked = 0;
        for (FakeAsterisk s : sessions) {
            if (!s.closedByServer) problem(c, "the server did not close the connection");
            for (String line : s.commands) {
                checked++;
                for (String p : rules.check(line)) problem(c, p + "\n    in: " + printable(line));
                reach(line, s == call ? "" : "leg ");
                if (System.getProperty("fuzz.print") != null) System.out.println("LINE " + printable(line));
            }
        }
        String end = ending(call.commands, asterisk);
        if (end != null) problem(c, end);
        synchronized (this) {
            lines += checked;
        }
        app.forgetRequests();
    }

    /** Counts the command: its first two words, an EXEC's application, a SET VARIABLE's function. */
    private synchronized void reach(String line, String where) {
        List<String> w = AsteriskParsing.agiWords(line);
        String what = String.join(" ", w.subList(0, Math.min(2, w.size())));
        if (what.equals("SET VARIABLE") && w.size() > 2) what += " " + w.get(2).replaceAll("\\(.*", "()");
        reached.merge(where + what, 1, Integer::sum);
    }

    /**
     * How the call ended: a rejection only when never answered; when answered, no rejection (HANGUP, or none: the
     * server closing the connection, checked for every session, makes the dialplan's Hangup() end the call).
     */
    private static String ending(List<String> commands, PlausibleAsterisk asterisk) {
        if (asterisk.callerHungUp || commands.isEmpty()) return null;
        String last = commands.get(commands.size() - 1);
        boolean answered = asterisk.answered || asterisk.bridged;
        if (answered && last.startsWith("EXEC \"PJSIPHangup\"")) return "an answered call ended rejected: " + last;
        if (!answered && !last.matches("EXEC \"PJSIPHangup\" \"[4-6]\\d\\d\"")) {
            return "an unanswered call was not rejected: " + printable(last);
        }
        return null;
    }

    /** Counts a problem by its kind (its first line without the input, and where an exception came from). */
    private synchronized void problem(HostileApp.Case c, String problem) {
        String[] lines = problem.split("\n");
        String kind = lines[0].replaceAll(": .*", "");
        if (lines.length > 1 && lines[1].strip().startsWith("at ")) {
            kind += " " + lines[1].strip() + (lines.length > 2 ? " " + lines[2].strip() : "");
        }
        if (!kinds.containsKey(kind)) firstOfEachKind.add((c == null ? "" : c.describe() + "\n  ") + problem);
        kinds.merge(kind, 1, Integer::sum);
    }

    /** The exception and where it came from (the first frames of ours). */
    private static String trace(Throwable t) {
        StringBuilder b = new StringBuilder(t.toString());
        int ours = 0;
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.twimlagi") && ours++ < 6) b.append("\n      at ").append(e);
        }
        return b.toString();
    }

    private static String printable(String line) {
        String s = line.length() > 400 ? line.substring(0, 400) + "…(" + line.length() + " chars)" : line;
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    /** Speech: the same short tone for every text (the fuzz is about arguments, not audio). */
    private static Tts tone() {
        byte[] wav = ToneTts.wav(16000, 1, 0.05, 440);
        return new Tts() {
            @Override
            public byte[] synthesize(String text, String voice, String language) {
                return wav;
            }

            @Override
            public String cacheKey(String voice, String language) {
                return "tone:" + voice + ":" + language;
            }
        };
    }

    /** Direct connections to loopback only; anything else goes to a proxy that refuses at once (no DNS either). */
    private static final class LoopbackOnly extends ProxySelector {
        private static final List<Proxy> NOWHERE = List.of(new Proxy(Proxy.Type.HTTP,
                new InetSocketAddress("127.0.0.1", 1)));

        @Override
        public List<Proxy> select(URI uri) {
            String host = uri.getHost();
            return "127.0.0.1".equals(host) || "localhost".equals(host) ? List.of(Proxy.NO_PROXY) : NOWHERE;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException e) {
        }
    }
}
