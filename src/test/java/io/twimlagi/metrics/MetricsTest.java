package io.twimlagi.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    @Test
    void rendersPrometheusText() {
        Metrics m = new Metrics(() -> 3);
        m.callEnded(486);
        m.callEnded(486);
        m.callEnded(200);
        m.webhook(4, true);
        m.webhook(700, false);
        m.cache("tts", true);
        m.cache("tts", false);
        String text = m.render();
        assertTrue(text.contains("twiml_agi_active_calls 3\n"), text);
        assertTrue(text.contains("twiml_agi_calls_total{sip_code=\"486\"} 2\n"), text);
        assertTrue(text.contains("twiml_agi_calls_total{sip_code=\"200\"} 1\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"0.005\"} 1\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"1.0\"} 2\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_bucket{le=\"+Inf\"} 2\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_duration_seconds_count 2\n"), text);
        assertTrue(text.contains("twiml_agi_webhook_errors_total 1\n"), text);
        assertTrue(text.contains("twiml_agi_media_cache_requests_total{cache=\"tts\",result=\"hit\"} 1\n"), text);
        assertTrue(text.contains("# TYPE twiml_agi_webhook_duration_seconds histogram\n"), text);
    }
}
