package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 callers waiting in one queue at once on a real Asterisk 22, each hearing its waitUrl's music (a Play looping
 * through the waitUrl), placed by one sipp process; the server keeps one thread per call and no thread per waiting
 * caller. Then the app's wait document says {@code <Leave/>} and all 200 leave through their action.
 */
class QueueLoadIT {
    static final int CALLERS = 200;
    static Bench bench;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench(); // its own records_db (Bench)
        bench.app.always("/media/hold.wav", QueueIT.wav(QueueIT.HOLD_HZ, 2.0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    /** The names of the threads of the kind "other", digits folded, with their counts. */
    static Map<String, Long> otherNames() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .map(t -> t.getThreadName().replaceAll("\\d+", "#"))
                .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
    }

    /** The JVM's threads by kind: the server's call threads (agi-N), the test app's and the rest. */
    static Map<String, Integer> threadsByKind() {
        ThreadInfo[] all = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
        return Arrays.stream(all).collect(Collectors.groupingBy(t -> {
            String n = t.getThreadName();
            if (n.matches("agi-\\d+")) return "agi (one per call)";
            if (n.startsWith("MockWebServer") || n.startsWith("OkHttp MockWebServer")) return "test app";
            if (n.startsWith("sipp-")) return "test sipp runner";
            if (n.equals("callback")) return "callback pool (at most 64)";
            return "other";
        }, TreeMap::new, Collectors.summingInt(t -> 1)));
    }

    @Test
    void twoHundredCallersWaitAtOnceWithMusicOnBoundedThreads() throws Exception {
        bench.app.on("q-load", "/voice", "<Response><Enqueue waitUrl=\"/wait\" action=\"/left\">load</Enqueue>"
                + "</Response>");
        bench.app.on("q-load", "/wait", "<Response><Play>/media/hold.wav</Play></Response>");
        bench.app.on("q-load", "/left", "<Response><Hangup/></Response>");
        Map<String, Integer> before = threadsByKind();
        try (RtpSink media = new RtpSink()) {
            CompletableFuture<SippResult> callers = Sipp.scenario("answer-wait-bye.xml").service("q-load")
                    .domain(Bench.DOMAIN).rtpPort(media.port()).timeout(Duration.ofSeconds(240))
                    .arg("-m", Integer.toString(CALLERS), "-l", Integer.toString(CALLERS), "-r", "40").start();
            // every waiting caller asks for its wait document again each time its music ends: one of them says so
            WebhookApp.Hit full = bench.app.awaitHit("/wait", "CurrentQueueSize", Integer.toString(CALLERS),
                    Duration.ofSeconds(120));
            assertTrue(full != null, "never " + CALLERS + " in the queue: " + get("/metrics").lines()
                    .filter(l -> l.startsWith("twiml_agi_queue_size")).toList());
            Map<String, Integer> during = threadsByKind();
            int peak = ManagementFactory.getThreadMXBean().getPeakThreadCount();
            String metrics = get("/metrics");
            assertTrue(metrics.contains("twiml_agi_queue_size{queue=\"load\"} " + CALLERS + ".0"), metrics);
            assertTrue(metrics.contains("twiml_agi_active_calls " + CALLERS + ".0"), "all are up");
            // wait until the next round of wait documents: every place 1..200 was handed out
            Set<String> places = bench.app.pathHits("/wait").stream().map(h -> h.params().get("QueuePosition"))
                    .collect(Collectors.toSet());
            assertTrue(places.contains("1") && places.contains(Integer.toString(CALLERS)), places.toString());
            int packets = media.packetCount();
            assertTrue(media.awaitPackets(packets + 1000, Duration.ofSeconds(10)), "the callers get their music");
            System.out.println("QueueLoadIT: " + CALLERS + " callers waiting; threads before " + before
                    + ", while waiting " + during + ", JVM peak " + peak + "; names " + otherNames());
            int agi = during.getOrDefault("agi (one per call)", 0);
            assertTrue(agi >= CALLERS && agi <= CALLERS + 16, "one thread per call (+ the pool's idle core): " + agi);
            assertTrue(during.getOrDefault("callback pool (at most 64)", 0) <= 64);
            int others = during.getOrDefault("other", 0) - before.getOrDefault("other", 0);
            assertTrue(others <= 30, "no thread per waiting caller: " + others + " more other threads");

            bench.app.on("q-load", "/wait", "<Response><Leave/></Response>"); // closing time
            List<WebhookApp.Hit> left = bench.app.awaitPathHits("/left", CALLERS, Duration.ofSeconds(60));
            assertEquals(CALLERS, left.size());
            assertTrue(left.stream().allMatch(h -> "leave".equals(h.params().get("QueueResult"))));
            SippResult r = callers.get(300, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), () -> r.output() + "\n" + r.errors());
        }
        assertTrue(get("/metrics").contains("twiml_agi_queue_size{queue=\"load\"} 0.0"));
    }

    static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18089" + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
