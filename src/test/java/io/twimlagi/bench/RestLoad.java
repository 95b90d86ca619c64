package io.twimlagi.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API's load generator (run by scripts/bench-rest, not a test), over {@link RawHttp} connections to the
 * server's http_bind. Usage: {@code RestLoad MODE HOST:PORT ACCOUNT_SID AUTH_TOKEN ARGS…}
 * <ul>
 *   <li>{@code calls RATE COUNT PREFIX CALLEE TWIML OUT.tsv [CONNECTIONS]}: POSTs {@code Calls.json} open-loop at
 *       RATE per second (each request has its due time; CONNECTIONS keep-alive connections, default 32, take
 *       them), {@code To=sip:<PREFIX><n>@CALLEE}, inline TWIML; writes one line per call (n, CallSid, HTTP status,
 *       due, sent and answered times in epoch µs) and prints the HTTP answers' times.</li>
 *   <li>{@code wire CALLS.tsv PCAP PREFIX}: REST request sent → the callee's INVITE on the wire (the capture's
 *       timestamp), per call.</li>
 *   <li>{@code verify CALLS.tsv SECONDS}: waits up to SECONDS for every created call to end; counts final
 *       statuses.</li>
 *   <li>{@code await STATUS COUNT SECONDS}: waits until COUNT calls have STATUS (e.g. in-progress).</li>
 *   <li>{@code end CALLS.tsv RATE}: {@code Status=completed} for every created call, RATE per second.</li>
 * </ul>
 */
public final class RestLoad {
    static final Set<String> FINAL = Set.of("completed", "busy", "failed", "no-answer", "canceled");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"");
    private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"(CA[0-9a-f]{32})\"");
    private static final Pattern CALL_ITEM = Pattern.compile("\"sid\"\\s*:\\s*\"CA");

    private final InetSocketAddress server;
    private final String account;
    private final String token;

    private RestLoad(InetSocketAddress server, String account, String token) {
        this.server = server;
        this.account = account;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        String[] hp = args[1].split(":");
        RestLoad load = new RestLoad(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), args[2], args[3]);
        switch (args[0]) {
            case "calls" -> load.calls(Integer.parseInt(args[4]), Integer.parseInt(args[5]), args[6], args[7],
                    args[8], Path.of(args[9]), args.length > 10 ? Integer.parseInt(args[10]) : 32);
            case "wire" -> wire(Path.of(args[4]), Path.of(args[5]), args[6]);
            case "verify" -> System.exit(load.verify(Path.of(args[4]), Integer.parseInt(args[5])) ? 0 : 1);
            case "await" -> System.exit(load.await(args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]))
                    ? 0 : 1);
            case "end" -> load.end(Path.of(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("mode " + args[0]);
        }
    }

    RawHttp connection() {
        return new RawHttp(server, account, token);
    }

    String calls() {
        return "/2010-04-01/Accounts/" + account + "/Calls.json";
    }

    String call(String sid) {
        return "/2010-04-01/Accounts/" + account + "/Calls/" + sid + ".json";
    }

    static String form(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(encode(k)).append('=').append(encode(v)));
        return b.toString();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One created call: its number, what the server answered, and when (epoch µs). */
    record Created(int n, String sid, int status, long dueMicros, long sentMicros, long doneMicros, String error) {
        String line() {
            return n + "\t" + sid + "\t" + status + "\t" + dueMicros + "\t" + sentMicros + "\t" + doneMicros;
        }

        static Created parse(String line) {
            String[] f = line.split("\t");
            return new Created(Integer.parseInt(f[0]), f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), null);
        }
    }

    void calls(int rate, int count, String prefix, String callee, String twiml, Path out, int connections)
            throws Exception {
        BlockingQueue<Integer> due = new ArrayBlockingQueue<>(count + 1);
        Created[] done = new Created[count];
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long startMicros = Clocks.epochMicros() + 100_000;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            Thread t = new Thread(() -> {
                try (RawHttp http = connection()) {
                    for (int n; (n = due.take()) >= 0; ) {
                        Map<String, String> p = new LinkedHashMap<>();
                        p.put("To", "sip:" + prefix + n + "@" + callee);
                        p.put("From", "+15550001111");
                        p.put("Twiml", twiml);
                        long dueMicros = startMicros + n * periodNanos / 1000;
                        try {
                            RawHttp.Response r = http.post(calls(), form(p));
                            Matcher m = SID.matcher(r.body());
                            done[n] = new Created(n, m.find() ? m.group(1) : "-", r.status(), dueMicros,
                                    r.sentMicros(), r.doneMicros(), r.status() == 201 ? null : r.body());
                        } catch (IOException e) {
                            done[n] = new Created(n, "-", 0, dueMicros, 0, 0, e.toString());
                            http.close();
                        }
                    }
                    due.put(-1); // the next worker stops too
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "rest-client-" + w);
            t.start();
            workers.add(t);
        }
        for (int n = 0; n < count; n++) {
            long wait;
            while ((wait = startNanos + n * periodNanos - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            due.put(n);
        }
        due.put(-1);
        for (Thread t : workers) t.join();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (Created c : done) w.println(c.line());
        }
        double[] answer = new double[count];
        double[] lag = new double[count];
        int ok = 0;
        Map<String, Integer> errors = new TreeMap<>();
        for (Created c : done) {
            if (c.status() == 201) answer[ok++] = (c.doneMicros() - c.sentMicros()) / 1000.0;
            else errors.merge(c.status() + " " + shorten(c.error()), 1, Integer::sum);
            lag[c.n()] = Math.max(0, (c.sentMicros() - c.dueMicros()) / 1000.0);
        }
        double seconds = (done[count - 1].sentMicros() - done[0].sentMicros()) / 1e6;
        System.out.printf("created %d of %d calls (201) at %.1f/s requested %d/s; HTTP answer %s; send lag max %.1f"
                + " ms%n", ok, count, (count - 1) / Math.max(seconds, 1e-9), rate,
                Percentiles.of(java.util.Arrays.copyOf(answer, ok)), Percentiles.of(lag).max());
        errors.forEach((e, k) -> System.out.printf("  refused %d: %s%n", k, e));
    }

    private static String shorten(String s) {
        if (s == null) return "";
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    static List<Created> read(Path tsv) throws IOException {
        List<Created> out = new ArrayList<>();
        for (String l : Files.readAllLines(tsv)) if (!l.isBlank()) out.add(Created.parse(l));
        return out;
    }

    static void wire(Path tsv, Path pcap, String prefix) throws IOException {
        Map<Integer, Long> invites = PcapInvites.read(pcap, prefix);
        List<Double> ms = new ArrayList<>();
        int missing = 0;
        for (Created c : read(tsv)) {
            if (c.status() != 201) continue;
            Long at = invites.get(c.n());
            if (at == null) missing++;
            else ms.add((at - c.sentMicros()) / 1000.0);
        }
        Percentiles p = Percentiles.of(ms.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf("REST request -> INVITE on the wire: %s; %d created calls without an INVITE%n", p, missing);
        System.out.printf("wire %.3f %.3f %.3f %.3f %d %d%n", p.p50(), p.p95(), p.p99(), p.max(), p.n(), missing);
    }

    /** Waits until every created call ended; true when all ended {@code completed}. */
    boolean verify(Path tsv, int seconds) throws IOException, InterruptedException {
        List<Created> created = read(tsv).stream().filter(c -> c.status() == 201).toList();
        Map<String, String> last = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (RawHttp http = connection()) {
            List<Created> open = created;
            while (!open.isEmpty()) {
                List<Created> still = new ArrayList<>();
                for (Created c : open) {
                    String status = status(http.get(call(c.sid())).body());
                    last.put(c.sid(), status);
                    if (!FINAL.contains(status)) still.add(c);
                }
                open = still;
                if (open.isEmpty() || System.nanoTime() > deadline) break;
                Thread.sleep(500);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        last.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        int completed = counts.getOrDefault("completed", 0);
        System.out.printf("final status of %d created calls: %s%n", created.size(), counts);
        System.out.printf("verify %d %d%n", created.size(), created.size() - completed);
        return completed == created.size();
    }

    private static String status(String json) {
        Matcher m = STATUS.matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    /** Counts the calls with {@code status} (pages of 1,000). */
    int count(RawHttp http, String status) throws IOException {
        int n = 0;
        for (int page = 0; ; page++) {
            RawHttp.Response r = http.get(calls() + "?Status=" + status + "&PageSize=1000&Page=" + page);
            if (r.status() != 200) throw new IOException("list answered " + r.status() + ": " + r.body());
            Matcher m = CALL_ITEM.matcher(r.body());
            int k = 0;
            while (m.find()) k++;
            n += k;
            if (k < 1000) return n;
        }
    }

    boolean await(String status, int count, int seconds) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
        int n = 0;
        try (RawHttp http = connection()) {
            while (System.nanoTime() < deadline && (n = count(http, status)) < count) Thread.sleep(200);
        }
        System.out.printf("%d calls %s after %.1f s (waited for %d)%n", n, status, (System.nanoTime() - t0) / 1e9,
                count);
        return n >= count;
    }

    /** Ends every created call through the REST API, {@code rate} per second, one connection. */
    void end(Path tsv, int rate) throws IOException {
        List<Created> created = read(tsv).stream().filter(c -> c.status() == 201).toList();
        double[] ms = new double[created.size()];
        Map<String, Integer> errors = new TreeMap<>();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        try (RawHttp http = connection()) {
            for (int i = 0; i < created.size(); i++) {
                long wait;
                while ((wait = start + i * period - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                RawHttp.Response r = http.post(call(created.get(i).sid()), "Status=completed");
                ms[i] = r.millis();
                if (r.status() != 200) errors.merge(r.status() + " " + shorten(r.body()), 1, Integer::sum);
            }
        }
        System.out.printf("ended %d calls with Status=completed in %.1f s; HTTP answer %s%n", created.size(),
                (System.nanoTime() - start) / 1e9, Percentiles.of(ms));
        errors.forEach((e, k) -> System.out.printf("  refused %d: %s%n", k, e));
    }
}
