package io.twimlagi.bench;

import io.twimlagi.e2e.harness.RtpProbe;
import io.twimlagi.stream.StreamApp;
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
 * {@code <Connect><Stream>}, callers from sipp whose RTP is an {@link RtpProbe} sending numbered frames on an exact
 * 20 ms grid. Each frame's number rides in its first three μ-law bytes, so a frame is followed from the caller's
 * RTP to the app's {@code media} message (inbound), from the app's echo to the caller's RTP (outbound), on the wire.
 *
 * <ol>
 *   <li>one long call: latency each way (p50, p99, max), per minute to show any creep, and the jitter of the
 *       frames the caller receives;</li>
 *   <li>one call where the bot sends 30 s of audio at once: the pacing jitter of the stream clock;</li>
 *   <li>{@code N} calls at once: every frame echoed exactly once and in order, CPU of the server and of Asterisk
 *       per stream.</li>
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
        volatile StreamApp.Connection connection;
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
    private final StreamApp app = new StreamApp();
    private final MockWebServer twiml = new MockWebServer();
    private final List<Path> workDirs = new ArrayList<>();

    /** Frame {@code k} of the caller: its number in the first three bytes, then a 1 kHz tone. */
    static byte[] frame(int k) {
        byte[] u = RtpProbe.tone(1000, k);
        u[0] = (byte) (0x10 + (k & 0x3F));
        u[1] = (byte) (0x10 + ((k >> 6) & 0x3F));
        u[2] = (byte) (0x10 + ((k >> 12) & 0x3F));
        return u;
    }

    /** The number of a frame, or -1 when its first bytes are not a number of ours. */
    static int index(byte[] u) {
        if (u.length < 3) return -1;
        int a = (u[0] & 0xFF) - 0x10;
        int b = (u[1] & 0xFF) - 0x10;
        int c = (u[2] & 0xFF) - 0x10;
        if (a < 0 || a > 0x3F || b < 0 || b > 0x3F || c < 0 || c > 0x3F) return -1;
        return a | b << 6 | c << 12;
    }

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
        app.raw(this::onAppMessage);
    }

    /** The echo bot: every media frame back at once, times kept. */
    private void onAppMessage(StreamApp.Connection c, String text) {
        long now = System.nanoTime();
        Trace t = traces.get(c.path.substring("/stream/".length()));
        if (t == null) return;
        if (text.startsWith("{\"event\":\"start\"")) {
            t.streamSid = between(text, "\"streamSid\":\"", "\"");
            t.connection = c;
            synchronized (t) {
                t.notifyAll();
            }
            return;
        }
        if (!text.startsWith("{\"event\":\"media\"")) return;
        String payload = between(text, "\"payload\":\"", "\"");
        int k = index(Base64.getDecoder().decode(payload));
        c.send("{\"event\":\"media\",\"streamSid\":\"" + t.streamSid + "\",\"media\":{\"payload\":\"" + payload
                + "\"}}");
        if (k >= 0 && k < t.appRecv.length && t.appRecv[k] < 0) {
            t.appRecv[k] = now;
            t.appSent[k] = System.nanoTime();
        }
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
            int k = index(p.payload());
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
    void longCall(Path sippDir, int seconds) throws Exception {
        int frames = seconds * 50;
        String user = "lat";
        traces.put(user, new Trace(frames));
        try (RtpProbe probe = new RtpProbe()) {
            Process sipp = sipp(sippDir, List.<String[]>of(new String[] {user, Integer.toString(probe.port())}), 1);
            Trace t = awaitStart(user, Duration.ofSeconds(20));
            if (!probe.awaitRemote(Duration.ofSeconds(10))) throw new IllegalStateException("no RTP");
            probe.startSending(StreamsBench::frame, frames);
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
            for (int k = 0; k < frames; k++) {
                long s = probe.sentAt(k);
                if (k > 0 && t.appRecv[k] >= 0 && t.appRecv[k - 1] >= 0) {
                    appJitter.add(Math.abs((t.appRecv[k] - t.appRecv[k - 1] - PERIOD) / 1e6));
                }
                if (t.appRecv[k] < 0 || t.callerRecv[k] < 0) {
                    lost++;
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
            System.out.printf("== one echo call, %d s (%d frames; %d not echoed)%n", seconds, frames, lost);
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
            for (int k = 0; k < 1500; k++) System.arraycopy(frame(k), 0, all, k * 160, 160);
            t.connection.send("{\"event\":\"media\",\"streamSid\":\"" + t.streamSid + "\",\"media\":{\"payload\":\""
                    + Base64.getEncoder().encodeToString(all) + "\"}}");
            probe.awaitPackets(p -> index(p.payload()) == 1499, 1, Duration.ofSeconds(40));
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

    /** {@code n} echo calls at once for {@code seconds}: frames lost, doubled, reordered; CPU per stream. */
    void concurrent(Path sippDir, int n, int seconds, long serverPid, long asteriskPid) throws Exception {
        int frames = seconds * 50;
        List<RtpProbe> probes = new ArrayList<>();
        List<String[]> calls = new ArrayList<>();
        CpuTimeline timeline = null;
        for (int i = 0; i < n; i++) {
            RtpProbe p = new RtpProbe();
            probes.add(p);
            String user = "cc" + i;
            traces.put(user, new Trace(frames));
            calls.add(new String[] {user, Integer.toString(p.port())});
        }
        try {
            Process sipp = sipp(sippDir, calls, 20);
            Map<String, Long> who = new LinkedHashMap<>();
            who.put("server", serverPid);
            who.put("asterisk", asteriskPid);
            who.put("bench", ProcessHandle.current().pid());
            who.put("sipp", sipp.pid());
            timeline = new CpuTimeline(who);
            for (int i = 0; i < n; i++) {
                awaitStart("cc" + i, Duration.ofSeconds(60));
                if (!probes.get(i).awaitRemote(Duration.ofSeconds(10))) throw new IllegalStateException("no RTP " + i);
                probes.get(i).startSending(StreamsBench::frame, frames);
            }
            // the steady window: all streams up, 5 s after the last one started, for all but the last 10 s
            Thread.sleep(5000);
            long w0 = System.nanoTime();
            long s0 = cpuTicks(serverPid);
            long a0 = cpuTicks(asteriskPid);
            Thread.sleep(Math.max(5, seconds - 15) * 1000L);
            double window = (System.nanoTime() - w0) / 1e9;
            long s1 = cpuTicks(serverPid);
            long a1 = cpuTicks(asteriskPid);
            for (RtpProbe p : probes) p.awaitSent(Duration.ofSeconds(seconds + 60));
            Thread.sleep(1000);
            int missingIn = 0;
            int missingOut = 0;
            int doubled = 0;
            int reordered = 0;
            int total = 0;
            for (int i = 0; i < n; i++) {
                Trace t = traces.get("cc" + i);
                collect(probes.get(i), t);
                for (int k = 0; k < frames; k++) {
                    total++;
                    if (t.appRecv[k] < 0) missingIn++;
                    else if (t.callerRecvCount[k] == 0) missingOut++;
                    if (t.callerRecvCount[k] > 1) doubled++;
                }
                reordered += t.outOfOrder;
                t.connection.close();
            }
            sipp.waitFor(60, TimeUnit.SECONDS);
            timeline.close();
            System.out.println("CPU second by second from the first call (% of one core / threads; busy% of both cores):");
            System.out.print(timeline.table(Integer.getInteger("bench.every", 2)));
            double hz = 100.0; // USER_HZ
            System.out.printf("== %d echo calls at once, %d s each: %d frames sent by the callers; %d never reached "
                    + "the app, %d never came back, %d came back twice, %d out of order%n", n, seconds, total,
                    missingIn, missingOut, doubled, reordered);
            double serverMs = (s1 - s0) * 1000 / hz;
            double asteriskMs = (a1 - a0) * 1000 / hz;
            System.out.printf("CPU over a %.0f s window with all %d streams up: server %.1f %% of one core, Asterisk "
                    + "%.1f %%; per stream and second of call: server %.2f ms, Asterisk %.2f ms%n", window, n,
                    serverMs / 10 / window, asteriskMs / 10 / window, serverMs / window / n, asteriskMs / window / n);
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
                RtpProbe p = probes.get(i);
                for (int k = 0; k < frames; k++) {
                    if (t.appRecv[k] >= 0 && p.sentAt(k) >= 0) {
                        double v = (t.appRecv[k] - p.sentAt(k)) / 1e6;
                        in.add(v);
                        inBy10s.get(k / 500).add(v);
                    }
                    if (t.appRecv[k] >= 0 && t.callerRecv[k] >= 0) {
                        double v = (t.callerRecv[k] - t.appSent[k]) / 1e6;
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
        } finally {
            probes.forEach(RtpProbe::close);
            if (timeline != null) timeline.close();
        }
    }

    static long cpuTicks(long pid) throws IOException {
        if (pid <= 0) return 0;
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
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
            b.longCall(sippDir, longSeconds);
            b.burst(sippDir);
            if (concurrent > 0) b.concurrent(sippDir, concurrent, concurrentSeconds, serverPid, asteriskPid);
        } finally {
            b.close();
        }
        System.exit(0);
    }
}
