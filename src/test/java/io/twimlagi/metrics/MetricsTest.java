package io.twimlagi.metrics;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @Test
    void rendersOurFamiliesInPrometheusText() {
        Metrics m = new Metrics(() -> 3);
        m.callEnded(486);
        m.callEnded(486);
        m.callEnded(200);
        m.webhook(4, true);
        m.webhook(700, false);
        m.cache("tts", true);
        m.cache("tts", false);
        String text = m.render();
        assertTrue(text.contains("# TYPE twiml_agi_active_calls gauge\ntwiml_agi_active_calls 3.0\n"), text);
        assertTrue(text.contains("# TYPE twiml_agi_calls_total counter\n"), text);
        assertTrue(text.contains("twiml_agi_calls_total{sip_code=\"486\"} 2.0\n"), text);
        assertTrue(text.contains("twiml_agi_calls_total{sip_code=\"200\"} 1.0\n"), text);
        assertTrue(text.contains("# TYPE twiml_agi_webhook_duration_seconds histogram\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"0.005\"} 1\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"0.5\"} 1\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"1.0\"} 2\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"15.0\"} 2\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"+Inf\"} 2\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_count 2\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_sum 0.704\n"), text);
        assertTrue(text.contains("# TYPE twiml_agi_webhook_errors_total counter\ntwiml_agi_webhook_errors_total 1.0\n"),
                text);
        assertTrue(text.contains("twiml_agi_media_cache_requests_total{cache=\"tts\",result=\"hit\"} 1.0\n"), text);
        assertTrue(text.contains("twiml_agi_media_cache_requests_total{cache=\"tts\",result=\"miss\"} 1.0\n"), text);
        assertFalse(text.contains("_created"), "no _created series: " + text);
    }

    @Test
    void keepsTheWebhookBuckets() {
        String text = new Metrics(() -> 0).render();
        List<String> bounds = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("twiml_agi_webhook_duration_seconds_bucket{le=\"")) {
                bounds.add(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')));
            }
        }
        assertEquals(List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
                "15.0", "+Inf"), bounds);
    }

    @Test
    void exposesTheJvmAndProcessFamiliesUnderTheirStandardNames() {
        String text = new Metrics(() -> 0).render();
        for (String family : new String[] {"jvm_memory_used_bytes{area=\"heap\"} ", "jvm_memory_max_bytes{",
                "jvm_memory_pool_used_bytes{pool=", "jvm_threads_current ", "jvm_threads_state{state=",
                "jvm_gc_collection_seconds_count{gc=", "jvm_gc_collection_seconds_sum{gc=", "jvm_classes_loaded_total ",
                "jvm_buffer_pool_used_bytes{", "jvm_runtime_info{", "process_cpu_seconds_total ",
                "process_open_fds ", "process_max_fds ", "process_resident_memory_bytes ",
                "process_start_time_seconds "}) {
            assertTrue(text.contains("\n" + family), family + " missing:\n" + text);
        }
        double openFds = value(text, "process_open_fds");
        assertTrue(openFds > 0 && openFds <= value(text, "process_max_fds"), text);
        assertTrue(value(text, "process_cpu_seconds_total") > 0, text);
        assertTrue(value(text, "process_start_time_seconds") * 1000 <= System.currentTimeMillis(), text);
    }

    @Test
    void severalInstancesCountApartAndEachShowsTheJvm() {
        Metrics a = new Metrics(() -> 1);
        Metrics b = new Metrics(() -> 2);
        a.callEnded(404);
        String textA = a.render();
        String textB = b.render();
        assertTrue(textA.contains("twiml_agi_calls_total{sip_code=\"404\"} 1.0\n"), textA);
        assertFalse(textB.contains("sip_code=\"404\""), textB);
        assertTrue(textB.contains("twiml_agi_active_calls 2.0\n"), textB);
        assertTrue(textA.contains("\njvm_threads_current ") && textB.contains("\njvm_threads_current "));
    }

    @Test
    void answersOpenMetricsWhenTheScraperAsksForIt() {
        Metrics m = new Metrics(() -> 0);
        m.callEnded(603);
        // Prometheus 3's default Accept header
        Exposition om = m.expose("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;"
                + "q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", om.contentType());
        assertTrue(om.text().contains("# TYPE twiml_agi_calls counter\n"), om.text());
        assertTrue(om.text().contains("\ntwiml_agi_calls_total{sip_code=\"603\"} 1.0\n"), om.text());
        assertTrue(om.text().endsWith("# EOF\n"), om.text());
        for (String accept : new String[] {null, "", "text/plain", "*/*", "application/vnd.google.protobuf"}) {
            Exposition text = m.expose(accept);
            assertEquals(PROMETHEUS_TEXT, text.contentType(), accept);
            assertFalse(text.text().contains("# EOF"), accept);
        }
    }

    @Test
    void concurrentCallsAreAllCounted() throws Exception {
        Metrics m = new Metrics(() -> 0);
        int threads = 8;
        int each = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    m.callEnded(486);
                    m.webhook(3, true);
                    m.cache("play", false);
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) w.join();
        String text = m.render();
        assertTrue(text.contains("twiml_agi_calls_total{sip_code=\"486\"} 80000.0\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_count 80000\n"), text);
        assertTrue(text.contains("twiml_agi_media_cache_requests_total{cache=\"play\",result=\"miss\"} 80000.0\n"), text);
    }

    @Test
    void countingACallOrACacheLookupAllocatesNothing() {
        // The histogram's observe is the client's own code: once compiled it allocates nothing either (escape
        // analysis removes its capturing lambda), but before that it does, so it is left out of this count.
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        Metrics m = new Metrics(() -> 0);
        for (int i = 0; i < 1_000; i++) record(m, i); // every label value seen once
        long before = threads.getThreadAllocatedBytes(self);
        int calls = 200_000;
        for (int i = 0; i < calls; i++) record(m, i);
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        // one 16-byte object per call would be 3.2 MB; the measurement itself allocates a little
        assertTrue(allocated < calls / 4, allocated + " bytes allocated for " + calls + " calls");
    }

    private static void record(Metrics m, int i) {
        m.callEnded(i % 2 == 0 ? 200 : 486);
        m.cache(i % 2 == 0 ? "tts" : "play", i % 3 == 0);
    }

    private static double value(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        }
        throw new AssertionError(name + " not found:\n" + text);
    }
}
