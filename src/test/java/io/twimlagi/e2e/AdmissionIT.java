package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-domain admission on a real Asterisk 22 (issue 12 item 5): sipp calls from 127.0.0.1, which the sandbox's
 * pjsip.conf identifies as endpoint {@code sipp}. A domain whose {@code acl} leaves 127.0.0.1 out answers 403 and
 * its app never hears of the call; a domain admitting {@code endpoints = sipp} runs its app (so
 * {@code CHANNEL(endpoint)} really names the identified endpoint); one admitting only {@code alice} answers 403.
 */
class AdmissionIT {
    static final String ACL_DOMAIN = "acl.example.com";
    static final String SIPP_DOMAIN = "sipp-only.example.com";
    static final String ALICE_DOMAIN = "alice-only.example.com";
    static Bench bench;

    @BeforeAll
    static void start() throws Exception {
        String status = """
                voice_url = {app}/voice
                status_callback = {app}/status
                status_callback_event = initiated ringing answered completed
                """;
        bench = new Bench("", """
                [%s]
                type = domain
                acl = 203.0.113.0/24, 198.51.100.7
                %s
                [%s]
                type = domain
                endpoints = sipp
                %s
                [%s]
                type = domain
                endpoints = alice
                %s
                """.formatted(ACL_DOMAIN, status, SIPP_DOMAIN, status, ALICE_DOMAIN, status));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static SippResult call(String user, String domain, int expected) {
        SippResult r = Sipp.scenario("reject.xml").service(user).domain(domain).finalCode(expected)
                .timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        assertFalse(r.statusCodes().contains(200), () -> "never answered:\n" + r);
        return r;
    }

    @Test
    void aDomainsAclRejectsOtherSourcesWith403AndItsAppGetsNoRequest() throws Exception {
        bench.app.on("adm-acl", "/voice", "<Response><Say>never</Say></Response>");
        bench.app.on("adm-alice", "/voice", "<Response><Say>never</Say></Response>");
        bench.app.on("adm-sipp", "/voice", "<Response><Reject reason=\"busy\"/></Response>");
        call("adm-acl", ACL_DOMAIN, 403);
        call("adm-alice", ALICE_DOMAIN, 403);

        // the admitted call: its app runs with the usual parameters, and its status callbacks arrive
        call("adm-sipp", SIPP_DOMAIN, 486);
        List<WebhookApp.Hit> hits = bench.app.awaitHits("adm-sipp", 1, Duration.ofSeconds(5));
        assertEquals(1, hits.size());
        assertEquals(SIPP_DOMAIN, hits.get(0).params().get("SipDomain"));
        assertEquals("127.0.0.1", hits.get(0).params().get("SipSourceIp"));
        assertTrue(hits.get(0).signatureValid());
        List<WebhookApp.Hit> status = bench.app.awaitStatusHits("adm-sipp", 3, Duration.ofSeconds(10));
        assertTrue(status.stream().anyMatch(h -> "busy".equals(h.params().get("CallStatus"))), status.toString());

        // by then the refused calls, which came first, would have made theirs: none, not even a status callback
        assertEquals(List.of(), bench.app.hits("adm-acl"));
        assertEquals(List.of(), bench.app.statusHits("adm-acl"));
        assertEquals(List.of(), bench.app.hits("adm-alice"));
        assertEquals(List.of(), bench.app.statusHits("adm-alice"));
    }
}
