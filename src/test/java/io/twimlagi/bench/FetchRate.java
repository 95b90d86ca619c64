package io.twimlagi.bench;

import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.WebhookClient;
import io.twimlagi.webhook.WebhookRequest;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plain-Java harness (run by scripts/bench, not a test): POSTs to one webhook URL through {@link WebhookClient} at a
 * steady rate, one request at a time, and prints fetch latency p50/p90/p99/max in milliseconds and how many
 * fetches took 30 ms or more (a delayed-ACK stall is 40 ms).
 * Usage: FetchRate URL [requests/s] [requests] [warm-up requests] [extra parameter bytes]
 */
public final class FetchRate {
    private static final int STALL_MS = 30;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int warm = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int pad = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", "AC" + "0".repeat(32));
        params.put("CallSid", "CA" + "1".repeat(32));
        params.put("From", "sip:alice@127.0.0.1");
        params.put("To", "sip:bench@reject-http.bench");
        params.put("CallStatus", "ringing");
        params.put("Direction", "inbound");
        if (pad > 0) params.put("SipHeader_X-Pad", "p".repeat(pad));   // a larger request (OkHttp writes 8 KiB pieces)
        try (WebhookClient client = new WebhookClient("bench-token", Duration.ofSeconds(5), Duration.ofSeconds(15))) {
            WebhookRequest request = new WebhookRequest(url, HttpMethod.POST, params);
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            double[] ms = new double[n];
            long next = System.nanoTime();
            for (int i = -warm; i < n; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                next += period;
                long t0 = System.nanoTime();
                client.fetch(request);
                if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            long over = Arrays.stream(ms).filter(v -> v >= STALL_MS).count();
            System.out.printf("fetch %d at %d/s: p50 %.2f p90 %.2f p99 %.2f max %.2f ms, %d over %d ms%n", n, rate,
                    ms[n / 2], ms[(int) (n * 0.9)], ms[(int) (n * 0.99)], ms[n - 1], over, STALL_MS);
        }
    }
}
