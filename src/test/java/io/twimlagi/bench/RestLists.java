package io.twimlagi.bench;

import io.twimlagi.records.CallQuery;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.SqliteRecordStore;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Listing stored calls through the REST API over HTTP (run by scripts/bench-rest, not a test): the same 10,000
 * calls as {@link RecordsBench} (10 days, 20 numbers called, 2,000 callers, account {@link RecordsBench#ACCOUNT}),
 * {@code GET Calls.json} with no filter and with Twilio's filters, page 0 and the last page of the matches (the
 * deepest offset), PageSize 50, one keep-alive connection: p50/p99 of the time from the request written to the
 * whole JSON read. Usage:
 * <ul>
 *   <li>{@code RestLists seed DB_FILE}: writes the 10,000 calls into a records_db file (before the server starts);</li>
 *   <li>{@code RestLists lists HOST:PORT AUTH_TOKEN [WARM-UP] [TIMED]}: the table (default 200 and 1,000 runs).</li>
 * </ul>
 */
public final class RestLists {
    private RestLists() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("seed")) {
            seed(Path.of(args[1]));
            return;
        }
        String[] hp = args[1].split(":");
        int warm = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int timed = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        lists(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), args[2], warm, timed);
    }

    static void seed(Path db) throws Exception {
        List<CallRecord> calls = RecordsBench.calls(RecordsBench.CALLS);
        try (SqliteRecordStore store = SqliteRecordStore.open(db, Duration.ZERO)) {
            calls.forEach(store::saveCall);
            store.flush();
        }
        System.out.printf("seeded %,d calls into %s%n", calls.size(), db);
    }

    static void lists(InetSocketAddress server, String token, int warm, int timed) throws Exception {
        List<CallRecord> calls = RecordsBench.calls(RecordsBench.CALLS);
        CallRecord child = calls.stream().filter(c -> c.parentCallSid() != null).findFirst().orElseThrow();
        String day = "2024-06-05";
        Map<String, Map<String, String>> filters = new LinkedHashMap<>();
        filters.put("none", Map.of());
        filters.put("To (1 of 20 numbers)", Map.of("To", calls.get(0).to()));
        filters.put("From (1 of 2,000)", Map.of("From", calls.get(0).from()));
        filters.put("Status=completed", Map.of("Status", "completed"));
        filters.put("Status=busy", Map.of("Status", "busy"));
        filters.put("ParentCallSid", Map.of("ParentCallSid", child.parentCallSid()));
        filters.put("StartTime>=day", Map.of("StartTime>", day));
        filters.put("EndTime<=day", Map.of("EndTime<", day));
        Map<String, String> all3 = new LinkedHashMap<>();
        all3.put("To", calls.get(0).to());
        all3.put("Status", "completed");
        all3.put("StartTime>", day);
        filters.put("To + Status + StartTime>=", all3);
        String base = "/2010-04-01/Accounts/" + RecordsBench.ACCOUNT + "/Calls.json?";
        System.out.printf("GET Calls.json, a page of 50 out of %,d stored calls, over HTTP (ms; %d runs after %d"
                + " warm-up):%n", calls.size(), timed, warm);
        System.out.printf("  %-28s %8s %9s %8s %8s %10s %8s %8s%n", "filter", "matches", "bytes", "p50", "p99",
                "last page", "p50", "p99");
        try (RawHttp http = new RawHttp(server, RecordsBench.ACCOUNT, token)) {
            for (Map.Entry<String, Map<String, String>> f : filters.entrySet()) {
                CallQuery q = CallQuery.fromTwilio(f.getValue());
                long matches = calls.stream().filter(q::matches).count();
                int last = (int) Math.max(0, (matches - 1) / 50);
                String query = RestLoad.form(f.getValue());
                String first = base + query + (query.isEmpty() ? "" : "&") + "PageSize=50&Page=0";
                String deep = base + query + (query.isEmpty() ? "" : "&") + "PageSize=50&Page=" + last;
                RawHttp.Response sample = http.get(first);
                if (sample.status() != 200) throw new IllegalStateException(first + ": " + sample.body());
                Percentiles p0 = time(http, first, warm, timed);
                Percentiles pl = time(http, deep, warm, timed);
                System.out.printf("  %-28s %8d %9d %8.3f %8.3f %10d %8.3f %8.3f%n", f.getKey(), matches,
                        sample.body().length(), p0.p50(), p0.p99(), last, pl.p50(), pl.p99());
            }
            String big = base + "PageSize=1000&Page=0";
            Percentiles pb = time(http, big, warm / 4, timed / 4);
            System.out.printf("  page of 1,000 (no filter): p50 %.3f ms, p99 %.3f ms (%,d bytes)%n", pb.p50(),
                    pb.p99(), http.get(big).body().length());
            String one = "/2010-04-01/Accounts/" + RecordsBench.ACCOUNT + "/Calls/" + calls.get(4321).sid() + ".json";
            Percentiles pf = time(http, one, warm, timed);
            System.out.printf("  fetch one call (Calls/{Sid}.json): p50 %.3f ms, p99 %.3f ms%n", pf.p50(), pf.p99());
        }
    }

    private static Percentiles time(RawHttp http, String path, int warm, int timed) throws Exception {
        for (int i = 0; i < warm; i++) http.get(path);
        double[] ms = new double[timed];
        for (int i = 0; i < timed; i++) {
            RawHttp.Response r = http.get(path);
            if (r.status() != 200) throw new IllegalStateException(path + ": " + r.status() + " " + r.body());
            ms[i] = r.millis();
        }
        return Percentiles.of(ms);
    }
}
