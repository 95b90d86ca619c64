package io.twimlagi.bench;

import io.twimlagi.records.CallDirection;
import io.twimlagi.records.CallQuery;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.CallStatus;
import io.twimlagi.records.Page;
import io.twimlagi.records.SqliteRecordStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The call-record store under load (run by scripts/bench-records, not a test): how fast calls' records are written
 * (what a call thread waits for one save, and saves per second until committed, from 1 and 8 threads), then the
 * time to list a page of 50 out of 10,000 stored calls, with no filter and with each Twilio filter, and to fetch
 * one. Prints p50/p99 in milliseconds (and the p99 of the query's CPU time, which a busy machine does not inflate).
 */
public final class RecordsBench {
    static final String ACCOUNT = "AC" + "a".repeat(32);
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final int CALLS = 10_000;
    static final Instant T0 = Instant.parse("2024-06-01T00:00:00Z");
    static final CallStatus[] FINAL = {CallStatus.COMPLETED, CallStatus.COMPLETED, CallStatus.COMPLETED,
            CallStatus.COMPLETED, CallStatus.COMPLETED, CallStatus.COMPLETED, CallStatus.COMPLETED, CallStatus.BUSY,
            CallStatus.NO_ANSWER, CallStatus.FAILED, CallStatus.CANCELED};

    private RecordsBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("records-bench");
        System.out.printf("database in %s%n", dir);
        boolean listsOnly = args.length > 1 && args[1].equals("lists");
        if (!listsOnly) {
            writes(dir.resolve("writes-1.db"), 1);
            writes(dir.resolve("writes-8.db"), 8);
            paced(dir.resolve("paced.db"), 500, 10);
        }
        lists(dir.resolve("lists.db"));
    }

    /** Three saves per call (ringing, in-progress, completed), {@code threads} call threads at once. */
    static void writes(Path file, int threads) throws Exception {
        List<CallRecord> calls = calls(30_000);
        try (SqliteRecordStore store = SqliteRecordStore.open(file, Duration.ZERO)) {
            for (int i = 0; i < 3000; i++) saveLife(store, calls.get(i), new long[3], 0);   // warm-up
            store.flush();
            int per = (calls.size() - 3000) / threads;
            long[][] nanos = new long[threads][per * 3];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int th = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < per; i++) saveLife(store, calls.get(3000 + th * per + i), nanos[th], i * 3);
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) f.get();
            long returned = System.nanoTime();
            store.flush();
            long committed = System.nanoTime();
            pool.shutdown();
            long[] all = Arrays.stream(nanos).flatMapToLong(Arrays::stream).sorted().toArray();
            int saves = all.length;
            System.out.printf("writes, %d thread%s: %,d saves (%,d calls) committed in %.0f ms = %,.0f saves/s;"
                            + " a save returns to the call thread in p50 %.4f ms, p99 %.4f ms, max %.2f ms"
                            + " (all returned after %.0f ms)%n",
                    threads, threads == 1 ? "" : "s", saves, saves / 3, (committed - start) / 1e6,
                    saves / ((committed - start) / 1e9), pct(all, 50), pct(all, 99), all[all.length - 1] / 1e6,
                    (returned - start) / 1e6);
        }
    }

    /** {@code rate} calls a second for {@code seconds}, from 8 call threads: what a save costs a call thread. */
    static void paced(Path file, int rate, int seconds) throws Exception {
        int threads = 8;
        List<CallRecord> calls = calls(rate * seconds);
        try (SqliteRecordStore store = SqliteRecordStore.open(file, Duration.ZERO)) {
            int per = calls.size() / threads;
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) * threads / rate;
            long[][] nanos = new long[threads][per * 3];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int th = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < per; i++) {
                        long due = start + i * intervalNanos + th * intervalNanos / threads;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                        saveLife(store, calls.get(th * per + i), nanos[th], i * 3);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            long end = System.nanoTime();
            store.flush();
            long committed = System.nanoTime();
            pool.shutdown();
            long[] all = Arrays.stream(nanos).flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf("writes, %d calls/s for %d s (3 saves each, 8 threads): a save returns in p50 %.4f ms,"
                            + " p99 %.4f ms, max %.3f ms; the last committed %.1f ms after the last save%n",
                    rate, seconds, pct(all, 50), pct(all, 99), all[all.length - 1] / 1e6, (committed - end) / 1e6);
        }
    }

    private static void saveLife(SqliteRecordStore store, CallRecord done, long[] nanos, int at) {
        CallRecord ringing = CallRecord.of(done.sid(), done.accountSid(), done.parentCallSid(), done.direction(),
                done.from(), done.to(), CallStatus.RINGING, done.dateCreated());
        CallRecord answered = ringing.withStatus(CallStatus.IN_PROGRESS).withStartTime(done.startTime());
        CallRecord[] life = {ringing, answered, done};
        for (int k = 0; k < 3; k++) {
            long t = System.nanoTime();
            store.saveCall(life[k]);
            nanos[at + k] = System.nanoTime() - t;
        }
    }

    static void lists(Path file) throws Exception {
        List<CallRecord> calls = calls(CALLS);
        try (SqliteRecordStore store = SqliteRecordStore.open(file, Duration.ZERO)) {
            calls.forEach(store::saveCall);
            store.flush();
            CallRecord someChild = calls.stream().filter(c -> c.parentCallSid() != null).findFirst().orElseThrow();
            String day = "2024-06-05";
            Map<String, Map<String, String>> filters = new LinkedHashMap<>();
            filters.put("no filter", Map.of());
            filters.put("To (1 of 20 numbers)", Map.of("To", calls.get(0).to()));
            filters.put("From (1 of 2,000)", Map.of("From", calls.get(0).from()));
            filters.put("Status=completed", Map.of("Status", "completed"));
            filters.put("Status=busy", Map.of("Status", "busy"));
            filters.put("ParentCallSid", Map.of("ParentCallSid", someChild.parentCallSid()));
            filters.put("StartTime=day", Map.of("StartTime", day));
            filters.put("StartTime>=day", Map.of("StartTime>", day));
            filters.put("StartTime<=day", Map.of("StartTime<", day));
            filters.put("EndTime=day", Map.of("EndTime", day));
            filters.put("EndTime>=day", Map.of("EndTime>", day));
            filters.put("EndTime<=day", Map.of("EndTime<", day));
            filters.put("To + Status + StartTime>=", Map.of("To", calls.get(0).to(), "Status", "completed",
                    "StartTime>", day));
            System.out.printf("list a page of 50 out of %,d calls (ms):%n", CALLS);
            System.out.printf("  %-28s %8s %8s %8s %8s %9s%n", "filter", "matches", "p50", "p99", "p99 cpu",
                    "last p50");
            for (Map.Entry<String, Map<String, String>> f : filters.entrySet()) {
                CallQuery q = CallQuery.fromTwilio(f.getValue());
                long matches = calls.stream().filter(q::matches).count();
                int lastPage = (int) Math.max(0, (matches - 1) / 50);
                double[] first = time(() -> store.listCalls(q, 0, 50));
                double[] last = time(() -> store.listCalls(q, lastPage, 50));
                System.out.printf("  %-28s %8d %8.3f %8.3f %8.3f %9.3f%n", f.getKey(), matches, first[0], first[1],
                        first[2], last[0]);
            }
            Random r = new Random(7);
            double[] fetch = time(() -> store.fetchCall(calls.get(r.nextInt(CALLS)).sid()));
            System.out.printf("fetch one call by SID: p50 %.3f ms, p99 %.3f ms (cpu %.3f)%n", fetch[0], fetch[1],
                    fetch[2]);
            Page<CallRecord> p = store.listCalls(CallQuery.ALL, 0, 1000);
            double[] big = time(() -> store.listCalls(CallQuery.ALL, 0, 1000));
            System.out.printf("list a page of 1,000 (no filter): p50 %.3f ms, p99 %.3f ms (cpu %.3f; %d items)%n",
                    big[0], big[1], big[2], p.items().size());
        }
        System.out.printf("file size with %,d calls: %,d bytes%n", CALLS, Files.size(file));
    }

    private static int sipCode(CallStatus status) {
        return switch (status) {
            case BUSY -> 486;
            case NO_ANSWER -> 408;
            case FAILED -> 500;
            case CANCELED -> 487;
            default -> 200;
        };
    }

    /**
     * 200 warm-up runs, then 1,000 timed: {p50, p99} of wall time and p99 of the thread's CPU time, in ms (SQLite
     * runs in the calling thread, so CPU time is the query's own cost, without the waits of a busy machine).
     */
    private static double[] time(Runnable op) {
        for (int i = 0; i < 200; i++) op.run();
        long[] t = new long[1000];
        long[] cpu = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            long c = THREADS.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            op.run();
            t[i] = System.nanoTime() - s;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
        }
        Arrays.sort(t);
        Arrays.sort(cpu);
        return new double[] {pct(t, 50), pct(t, 99), pct(cpu, 99)};
    }

    private static double pct(long[] sortedNanos, int p) {
        return sortedNanos[(int) Math.min(sortedNanos.length - 1, (long) sortedNanos.length * p / 100)] / 1e6;
    }

    /**
     * {@code n} finished calls over 10 days, newest last: 20 numbers called, 2,000 callers, 70 % completed, one in
     * five a Dial leg of an earlier call.
     */
    static List<CallRecord> calls(int n) {
        Random r = new Random(42);
        List<CallRecord> out = new ArrayList<>(n);
        long spacingMs = Duration.ofDays(10).toMillis() / n;
        for (int i = 0; i < n; i++) {
            Instant created = T0.plusMillis(i * spacingMs);
            boolean child = i > 0 && r.nextInt(5) == 0;
            CallRecord parent = child ? out.get(r.nextInt(out.size())) : null;
            CallStatus status = FINAL[r.nextInt(FINAL.length)];
            int duration = status == CallStatus.COMPLETED ? 5 + r.nextInt(600) : 0;
            out.add(CallRecord.of("CA" + String.format("%016x%016x", r.nextLong(), r.nextLong()), ACCOUNT,
                            parent == null ? null : parent.sid(),
                            child ? CallDirection.OUTBOUND_DIAL : CallDirection.INBOUND,
                            "+1555" + String.format("%07d", r.nextInt(2000)),
                            "sip:+1800555" + String.format("%04d", r.nextInt(20)) + "@pbx.example.com",
                            CallStatus.RINGING, created)
                    .withStartTime(created)
                    .withSipDetails(i + "@client.example.com", "pbx.example.com", null, null)
                    .ended(status, created.plusSeconds(duration + 3), duration, sipCode(status)));
        }
        return out;
    }
}
