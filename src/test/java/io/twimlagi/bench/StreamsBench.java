package io.twimlagi.bench;

import io.twimlagi.e2e.harness.RtpProbe;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Media Streams under measurement (scripts/bench-streams starts Asterisk and the server first): echo bots on
 * {@code <Connect><Stream>} ({@link EchoBots}), callers from sipp whose RTP is sent on an exact 20 ms grid ({@link
 * RtpProbe} for one call, {@link RtpCallers} for many). Each frame's number rides in its first four μ-law bytes
 * ({@link NumberedFrames}), so a frame is followed from the caller's RTP to the app's {@code media} message
 * (inbound), from the app's echo to the caller's RTP (outbound), on the wire.
 *
 * <ol>
 *   <li>a 10 s warm-up call ({@code bench.warmupSeconds}; the server's first stream, on a cold JVM), then</li>
 *   <li>one long call: latency each way (p50, p99, max), per minute to show any creep, and the jitter of the
 *       frames the caller receives;</li>
 *   <li>one call where the bot sends 30 s of audio at once: the pacing jitter of the stream clock;</li>
 *   <li>{@code N} calls at once: every frame echoed exactly once and in order (silent ones may be skipped), CPU of
 *       the server, Asterisk and the load generator, per stream and second by second ({@link CpuTimeline}).</li>
 * </ol>
 * Arguments: twimlPort longSeconds concurrent concurrentSeconds serverPid asteriskPid sippScenarioDir
 */
public final class StreamsBench {
    private static final long PERIOD = 20_000_000L;

    /** What one call's frames did: times in System.nanoTime, -1 when it never happened. */
    static final class Trace {
        final long[] appRecv;
        final long[] appSent;
        final long[] callerRecv;
        final int[] callerRecvCount;
        volatile String streamSid;
        volatile EchoBots.Conn connection;
        /** The echo's text before the payload: {"event":"media","streamSid":"MZ...","media":{"payload":" */
        volatile byte[] echoPrefix;
        int outOfOrder;
        int lastEchoIndex = -1;

        Trace(int frames) {
            appRecv = filled(frames);
            appSent = filled(frames);
            callerRecv = filled(frames);
            callerRecvCount = new int[frames];
        }

        static long[] filled(int n) {
            long[] a = new long[n];
            Arrays.fill(a, -1);
            return a;
        }
    }

    private final Map<String, Trace> traces = new ConcurrentHashMap<>();
    private final EchoBots app = new EchoBots(this::onAppMessage);
    private final MockWebServer twiml = new MockWebServer();
    private final List<Path> workDirs = new ArrayList<>();


    StreamsBench(int twimlPort) throws IOException {
        twiml.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String body = r.getBody().readUtf8();
                String to = "";
                for (String pair : body.split("&")) {
                    if (pair.startsWith("To=")) to = URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8);
                }
                String user = to.replaceAll("^sip:([^@]*)@.*$", "$1");
                return new MockResponse().setHeader("Content-Type", "text/xml").setBody("<Response><Connect>"
                        + "<Stream url=\"" + app.url("/stream/" + user) + "\"/></Connect><Hangup/></Response>");
            }
        });
        twiml.start(InetAddress.getLoopbackAddress(), twimlPort);
    }

    private static final byte[] ECHO_SUFFIX = "\"}}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] START = "{\"event\":\"start\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEDIA = "{\"event\":\"media\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = "\"payload\":\"".getBytes(StandardCharsets.US_ASCII);

    /** The echo bot (on the bots' thread): every media frame back at once, its payload untouched; times kept. */
    private void onAppMessage(EchoBots.Conn c, byte[] text, int from, int to) {
        long now = System.nanoTime();
        Trace t = (Trace) c.state;
        if (t == null) {
            t = traces.get(c.path.substring("/stream/".length()));
            if (t == null) return;
            c.state = t;
        }
        if (startsWith(text, from, to, START)) {
            String json = new String(text, from, to - from, StandardCharsets.US_ASCII);
            t.streamSid = between(json, "\"streamSid\":\"", "\"");
            t.echoPrefix = ("{\"event\":\"media\",\"streamSid\":\"" + t.streamSid + "\",\"media\":{\"payload\":\"")
                    .getBytes(StandardCharsets.US_ASCII);
            t.connection = c;
            synchronized (t) {
                t.notifyAll();
            }
            return;
        }
        if (!startsWith(text, from, to, MEDIA)) return;
        int p = indexOf(text, from, to, PAYLOAD);
        if (p < 0) return;
        p += PAYLOAD.length;
        int end = p;
        while (end < to && text[end] != '"') end++;
        c.sendAround(t.echoPrefix, text, p, end, ECHO_SUFFIX);
        int k = end - p >= 8 ? NumberedFrames.indexOfBase64(text, p) : -1;
        if (k >= 0 && k < t.appRecv.length && t.appRecv[k] < 0) {
            t.appRecv[k] = now;
            t.appSent[k] = System.nanoTime();
        }
    }

    private static boolean startsWith(byte[] a, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[from + i] != prefix[i]) return false;
        return true;
    }

    private static int indexOf(byte[] a, int from, int to, byte[] what) {
        outer:
        for (int i = from; i + what.length <= to; i++) {
            for (int j = 0; j < what.length; j++) if (a[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }


    private static String between(String s, String from, String to) {
        int i = s.indexOf(from);
        if (i < 0) return "";
        i += from.length();
        return s.substring(i, s.indexOf(to, i));
    }

    /** Waits for the call's stream to start (its app connection). */
    private Trace awaitStart(String user, Duration max) throws InterruptedException {
        Trace t = traces.get(user);
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (t) {
            while (t.connection == null) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) throw new IllegalStateException("no stream for " + user);
                t.wait(left);
            }
        }
        return t;
    }

    /** The caller's received frames into the trace. */
    private static void collect(RtpProbe probe, Trace t) {
        for (RtpProbe.Packet p : probe.packets(p -> true)) {
            int k = NumberedFrames.index(p.payload());
            if (k < 0 || k >= t.callerRecv.length) continue;
            t.callerRecvCount[k]++;
            if (t.callerRecv[k] < 0) t.callerRecv[k] = p.nanos();
            if (k < t.lastEchoIndex) t.outOfOrder++;
            t.lastEchoIndex = Math.max(t.lastEchoIndex, k);
        }
    }

    // ---- sipp ----

    private Process sipp(Path dir, List<String[]> calls, int rate) throws IOException {
        String scenario = Files.readString(dir.resolve("answer-wait-bye.xml"), StandardCharsets.ISO_8859_1)
                .replace("[service]", "[field0]").replace("[rtp_port]", "[field1]")
                .replaceAll("(?m)^.*X-Customer-Id: \\[x_customer_id\\].*\\n", "")
                .replaceAll("(?m)^.*X-Campaign: \\[x_campaign\\].*\\n", "")
                .replaceAll("(?m)^\\{\\{headers}}\\n", "");
        Path work = Files.createTempDirectory("streams-bench-sipp");
        workDirs.add(work);
        Path scen = work.resolve("calls.xml");
        Files.writeString(scen, scenario, StandardCharsets.ISO_8859_1);
        StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
        for (String[] c : calls) csv.append(c[0]).append(';').append(c[1]).append('\n');
        Path inf = work.resolve("calls.csv");
        Files.writeString(inf, csv);
        return new ProcessBuilder("sipp", "127.0.0.1:5060", "-sf", scen.toString(), "-inf", inf.toString(),
                "-i", "127.0.0.1", "-p", "15090", "-m", Integer.toString(calls.size()),
                "-l", Integer.toString(calls.size()), "-r", Integer.toString(rate), "-timeout", "1800s",
                "-timeout_error", "-nostdin", "-key", "domain", "pbx.example.com", "-key", "from_user", "bench",
                "-trace_err", "-error_file", work.resolve("errors.log").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("sipp.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).directory(work.toFile())
                .start();
    }

    // ---- measurements ----

    static String pct(List<Double> v) {
        if (v.isEmpty()) return "n/a";
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d frames)", s.get(s.size() / 2),
                s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)), s.get(s.size() - 1), s.size());
    }

    static double p99(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1));
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }

    /** One long echo call: latency each way, per minute, and the caller's receive jitter. */
    void longCall(Path sippDir, int seconds, String user, String title) throws Exception {
        int frames = seconds * 50;
        traces.put(user, new Trace(frames));
        try (RtpProbe probe = new RtpProbe()) {
            Process sipp = sipp(sippDir, List.<String[]>of(new String[] {user, Integer.toString(probe.port())}), 1);
            Trace t = awaitStart(user, Duration.ofSeconds(20));
            if (!probe.awaitRemote(Duration.ofSeconds(10))) throw new IllegalStateException("no RTP");
            probe.startSending(NumberedFrames::frame, frames);
            probe.awaitSent(Duration.ofSeconds(seconds + 30));
            Thread.sleep(500); // the last echoes
            t.connection.close();
            sipp.waitFor(30, TimeUnit.SECONDS);
            collect(probe, t);
            List<Double> in = new ArrayList<>();
            List<Double> out = new ArrayList<>();
            List<Double> jitter = new ArrayList<>();
            List<Double> appJitter = new ArrayList<>();
            List<List<Double>> outByMinute = new ArrayList<>();
            List<List<Double>> inByMinute = new ArrayList<>();
            long prevRecv = -1;
            int lost = 0;
            int lostSilent = 0;
            for (int k = 0; k < frames; k++) {
                long s = probe.sentAt(k);
                if (k > 0 && t.appRecv[k] >= 0 && t.appRecv[k - 1] >= 0) {
                    appJitter.add(Math.abs((t.appRecv[k] - t.appRecv[k - 1] - PERIOD) / 1e6));
                }
                if (t.appRecv[k] < 0 || t.callerRecv[k] < 0) {
                    if (t.appRecv[k] >= 0 && !NumberedFrames.talking(k)) lostSilent++;
                    else lost++;
                    prevRecv = -1;
                    continue;
                }
                double i = (t.appRecv[k] - s) / 1e6;
                double o = (t.callerRecv[k] - t.appSent[k]) / 1e6;
                in.add(i);
                out.add(o);
                int minute = k / 3000;
                while (outByMinute.size() <= minute) {
                    outByMinute.add(new ArrayList<>());
                    inByMinute.add(new ArrayList<>());
                }
                outByMinute.get(minute).add(o);
                inByMinute.get(minute).add(i);
                if (prevRecv >= 0) jitter.add(Math.abs((t.callerRecv[k] - prevRecv - PERIOD) / 1e6));
                prevRecv = t.callerRecv[k];
            }
            if (Boolean.getBoolean("bench.debug")) {
                long s0 = probe.sentAt(0);
                for (int k = 0; k < 40; k++) {
                    System.out.printf("frame %d: sent %.1f, app %.1f, echoed %.1f, back %.1f%n", k,
                            (probe.sentAt(k) - s0) / 1e6, (t.appRecv[k] - s0) / 1e6, (t.appSent[k] - s0) / 1e6,
                            (t.callerRecv[k] - s0) / 1e6);
                }
            }
            System.out.printf("== %s, %d s (%d frames; %d with sound not echoed, %d silent ones skipped: the "
                    + "playout shortened a pause)%n", title, seconds, frames, lost, lostSilent);
            System.out.println("inbound  (caller RTP sent -> media at the app): " + pct(in));
            System.out.println("outbound (app media sent -> RTP at the caller): " + pct(out));
            List<Double> rt = new ArrayList<>();
            for (int k = 0; k < in.size(); k++) rt.add(in.get(k) + out.get(k));
            System.out.println("round trip through an echo bot:                 " + pct(rt));
            System.out.printf("beyond one 20 ms frame (goal <= 10 ms p50 each way): inbound %+.1f ms, outbound %+.1f ms"
                    + "%n", median(in) - 20, median(out) - 20);
            System.out.println("frame timing jitter |gap - 20 ms|, media at the app: " + pct(appJitter));
            System.out.println("frame timing jitter |gap - 20 ms|, RTP at the caller: " + pct(jitter));
            System.out.println("per minute (creep), inbound p50/p99 | outbound p50/p99, ms:");
            for (int i = 0; i < outByMinute.size(); i++) {
                System.out.printf("  minute %2d: %5.1f/%5.1f | %5.1f/%5.1f%n", i + 1, median(inByMinute.get(i)),
                        p99(inByMinute.get(i)), median(outByMinute.get(i)), p99(outByMinute.get(i)));
            }
        } finally {
            traces.remove(user);
        }
    }

    /** The bot sends 30 s of audio at once: how evenly the stream clock plays it out. */
    void burst(Path sippDir) throws Exception {
        String user = "burst";
        traces.put(user, new Trace(1500));
        try (RtpProbe probe = new RtpProbe()) {
            Process sipp = sipp(sippDir, List.<String[]>of(new String[] {user, Integer.toString(probe.port())}), 1);
            Trace t = awaitStart(user, Duration.ofSeconds(20));
            byte[] all = new byte[1500 * 160];
            for (int k = 0; k < 1500; k++) System.arraycopy(NumberedFrames.frame(k), 0, all, k * 160, 160);
            t.connection.send("{\"event\":\"media\",\"streamSid\":\"" + t.streamSid + "\",\"media\":{\"payload\":\""
                    + Base64.getEncoder().encodeToString(all) + "\"}}");
            probe.awaitPackets(p -> NumberedFrames.index(p.payload()) == 1499, 1, Duration.ofSeconds(40));
            t.connection.close();
            sipp.waitFor(30, TimeUnit.SECONDS);
            collect(probe, t);
            List<Double> gaps = new ArrayList<>();
            for (int k = 1; k < 1500; k++) {
                if (t.callerRecv[k] >= 0 && t.callerRecv[k - 1] >= 0) {
                    gaps.add(Math.abs((t.callerRecv[k] - t.callerRecv[k - 1] - PERIOD) / 1e6));
                }
            }
            long missing = Arrays.stream(t.callerRecvCount).filter(n -> n == 0).count();
            long twice = Arrays.stream(t.callerRecvCount).filter(n -> n > 1).count();
            double span = (t.callerRecv[1499] - t.callerRecv[0]) / 1e9;
            System.out.printf("== the bot sends 30 s at once: played in %.3f s; %d frames missing, %d twice, %d out "
                    + "of order%n", span, missing, twice, t.outOfOrder);
            System.out.println("frame spacing at the caller |gap - 20 ms|:      " + pct(gaps));
        } finally {
            traces.remove(user);
        }
    }

    /**
     * {@code n} echo calls at once for {@code seconds}: frames lost, doubled, reordered; CPU per stream, and the CPU of
     * every process second by second (the load generator's too: it shares the cores). The calls are placed at
     * {@code bench.rate} calls a second (default 10) and each caller starts talking once its stream started.
     */
    void concurrent(Path sippDir, int n, int seconds, long serverPid, long asteriskPid) throws Exception {
        int frames = seconds * 50;
        int rate = Integer.getInteger("bench.rate", 10);
        List<String[]> calls = new ArrayList<>();
        List<RtpCallers.Caller> callers = new ArrayList<>();
        CpuTimeline timeline = null;
        try (RtpCallers rtp = new RtpCallers(NumberedFrames.CODEC)) {
            for (int i = 0; i < n; i++) {
                RtpCallers.Caller c = rtp.add(frames);
                callers.add(c);
                String user = "cc" + i;
                traces.put(user, new Trace(frames));
                calls.add(new String[] {user, Integer.toString(c.port())});
            }
            try {
                Process sipp = sipp(sippDir, calls, rate);
                Map<String, Long> who = new LinkedHashMap<>();
                who.put("server", serverPid);
                who.put("asterisk", asteriskPid);
                who.put("bench", ProcessHandle.current().pid());
                who.put("sipp", sipp.pid());
                timeline = new CpuTimeline(who);
                for (int i = 0; i < n; i++) {
                    awaitStart("cc" + i, Duration.ofSeconds(60));
                    if (!callers.get(i).awaitRemote(10_000)) throw new IllegalStateException("no RTP " + i);
                    callers.get(i).start();
                }
                // the steady window: all streams up, 5 s after the last one started, for all but the last 10 s
                Thread.sleep(5000);
                double w0 = timeline.now();
                Thread.sleep(Math.max(5, seconds - 15) * 1000L);
                double w1 = timeline.now();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 60);
                while (!callers.stream().allMatch(RtpCallers.Caller::done) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(1000);
                for (int i = 0; i < n; i++) traces.get("cc" + i).connection.close();
                sipp.waitFor(60, TimeUnit.SECONDS);
                timeline.close();
                rtp.close();
                report(n, seconds, callers, timeline, w0, w1);
            } finally {
                if (timeline != null) timeline.close();
            }
        }
    }

    private void report(int n, int seconds, List<RtpCallers.Caller> callers, CpuTimeline timeline, double w0,
                        double w1) {
        int frames = seconds * 50;
        int missingIn = 0;
        int missingOut = 0;
        int silentSkipped = 0;
        int doubled = 0;
        int reordered = 0;
        int total = 0;
        for (int i = 0; i < n; i++) {
            Trace t = traces.get("cc" + i);
            RtpCallers.Caller c = callers.get(i);
            for (int k = 0; k < frames; k++) {
                if (c.sentAt[k] < 0) continue;
                total++;
                if (t.appRecv[k] < 0) missingIn++;
                else if (c.receivedCount[k] == 0 && NumberedFrames.talking(k)) missingOut++;
                else if (c.receivedCount[k] == 0) silentSkipped++;
                if (c.receivedCount[k] > 1) doubled++;
            }
            reordered += c.outOfOrder;
        }
        System.out.println("CPU second by second from the first call (% of one core / threads; busy% of both cores):");
        System.out.print(timeline.table(Integer.getInteger("bench.every", 2)));
        System.out.printf("== %d echo calls at once (placed at %d calls/s), %d s each: %d frames sent by the callers; "
                        + "%d never reached the app, %d with sound never came back, %d silent ones never came back (the "
                        + "playout shortened a pause), %d came back twice, %d out of order%n", n,
                Integer.getInteger("bench.rate", 10), seconds, total, missingIn, missingOut, silentSkipped, doubled,
                reordered);
        double[] cpu = timeline.mean(w0, w1);
        double[] all = timeline.mean(0, Double.MAX_VALUE);
        System.out.printf("CPU over a %.0f s window with all %d streams up (%% of one core): server %.1f, Asterisk %.1f,"
                        + " load generator: bench JVM %.1f, sipp %.1f; per stream and second of call: server %.2f ms, "
                        + "Asterisk %.2f ms, bench %.2f ms%n", w1 - w0, n, cpu[0], cpu[1], cpu[2], cpu[3],
                cpu[0] * 10 / n, cpu[1] * 10 / n, cpu[2] * 10 / n);
        System.out.printf("CPU over the whole run, ramp included (%% of one core): server %.1f, Asterisk %.1f, bench "
                + "%.1f, sipp %.1f%n", all[0], all[1], all[2], all[3]);
        List<Double> in = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        List<List<Double>> inBy10s = new ArrayList<>();
        List<List<Double>> outBy10s = new ArrayList<>();
        for (int w = 0; w * 500 < frames; w++) {
            inBy10s.add(new ArrayList<>());
            outBy10s.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Trace t = traces.get("cc" + i);
            RtpCallers.Caller c = callers.get(i);
            for (int k = 0; k < frames; k++) {
                if (t.appRecv[k] >= 0 && c.sentAt[k] >= 0) {
                    double v = (t.appRecv[k] - c.sentAt[k]) / 1e6;
                    in.add(v);
                    inBy10s.get(k / 500).add(v);
                }
                if (t.appRecv[k] >= 0 && c.receivedAt[k] >= 0) {
                    double v = (c.receivedAt[k] - t.appSent[k]) / 1e6;
                    out.add(v);
                    outBy10s.get(k / 500).add(v);
                }
            }
        }
        System.out.println("latency under this load, inbound:  " + pct(in));
        System.out.println("latency under this load, outbound: " + pct(out));
        System.out.println("by 10 s of each call, inbound p50/p99 | outbound p50/p99, ms:");
        for (int w = 0; w < inBy10s.size(); w++) {
            System.out.printf("  %3d-%3d s: %5.1f/%5.1f | %5.1f/%5.1f%n", w * 10, w * 10 + 10, median(inBy10s.get(w)),
                    p99(inBy10s.get(w)), median(outBy10s.get(w)), p99(outBy10s.get(w)));
        }
    }


    void close() throws IOException {
        app.close();
        twiml.shutdown();
        for (Path dir : workDirs) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    public static void main(String[] args) throws Exception {
        int twimlPort = Integer.parseInt(args[0]);
        int longSeconds = Integer.parseInt(args[1]);
        int concurrent = Integer.parseInt(args[2]);
        int concurrentSeconds = Integer.parseInt(args[3]);
        long serverPid = Long.parseLong(args[4]);
        long asteriskPid = Long.parseLong(args[5]);
        Path sippDir = Path.of(args[6]);
        StreamsBench b = new StreamsBench(twimlPort);
        try {
            // the server's first stream runs on a cold JVM (class loading, the JIT): a moment's delay of its first
            // echoes stays as backlog for the whole call with stream_playout = exact, so it is measured apart
            int warmUp = Integer.getInteger("bench.warmupSeconds", 10);
            if (warmUp > 0) b.longCall(sippDir, warmUp, "warmup", "warm-up: the server's first echo call (cold JVM)");
            b.longCall(sippDir, longSeconds, "lat", "one echo call");
            b.burst(sippDir);
            if (concurrent > 0) b.concurrent(sippDir, concurrent, concurrentSeconds, serverPid, asteriskPid);
        } finally {
            b.close();
        }
        System.exit(0);
    }
}
