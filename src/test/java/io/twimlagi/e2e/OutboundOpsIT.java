package io.twimlagi.e2e;

import com.twilio.base.Page;
import com.twilio.base.Reader;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.twimlagi.e2e.harness.AsteriskSandbox;
import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.records.CallStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The REST API's calls around the calls themselves, on a real Asterisk 22 through Twilio's Java SDK: listing,
 * filters and paging, 401, records that outlive a restart, the Manager Interface going away and coming back, a
 * caller who CANCELs during a slow webhook, and an operator's {@code channel originate} from the Asterisk CLI.
 * Cheap calls ring {@code client:<name>} with no such PJSIP endpoint: Asterisk fails them at once.
 */
class OutboundOpsIT {
    static final int CALLEE = 5077;
    static Bench bench;
    static TwilioSdk sdk;
    static TwilioRestClient client;
    /** The sandbox started again by the AMI test (the bench's own is stopped then). */
    static AsteriskSandbox restarted;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        bench.app.always("/media/a440.wav", LiveUpdateIT.wav(440, 2.0));
        sdk = new TwilioSdk(Bench.TOKEN);
        client = sdk.client;
        awaitTrue("AMI connected", () -> bench.server.outbound().available());
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
        if (restarted != null) restarted.close();
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within 20 s");
            Thread.sleep(20);
        }
    }

    /** A unique From for this run (the records database outlives test runs). */
    static String uniqueNumber() {
        return "+1555" + ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
    }

    static Call cheapCall(String to, String from) {
        return Call.creator(new PhoneNumber(to), new PhoneNumber(from),
                new Twiml("<Response><Say>never</Say></Response>")).create(client);
    }

    static List<Call> list(Reader<Call> reader) {
        List<Call> out = new ArrayList<>();
        reader.read(client).forEach(out::add);
        return out;
    }

    static boolean over(String sid) {
        return bench.server.records().fetchCall(sid).map(r -> r.status().isFinal()).orElse(false);
    }

    @Test
    void aHundredAndTwentyCallsAreListedFilteredAndPagedThroughTheSdk() throws Exception {
        String from = uniqueNumber();
        String tag = "pg" + from.substring(5);
        ZonedDateTime before = ZonedDateTime.now().minusMinutes(1);
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Call c = cheapCall("client:" + tag + (i % 2 == 0 ? "a" : "b"), from);
            assertEquals(Call.Status.QUEUED, c.getStatus());
            sids.add(c.getSid());
        }
        awaitTrue("120 calls over", () -> sids.stream().allMatch(OutboundOpsIT::over));

        int asked = sdk.requests().size();
        List<Call> all = list(Call.reader().setFrom(from).pageSize(50));
        List<String> pages = sdk.requests().subList(asked, sdk.requests().size());
        assertEquals(3, pages.size(), "50 + 50 + 20, next_page_uri followed by the SDK: " + pages);
        assertEquals(120, all.size());
        assertEquals(new HashSet<>(sids), Set.copyOf(all.stream().map(Call::getSid).toList()));
        assertEquals(sids.get(119), all.get(0).getSid(), "newest first");
        assertTrue(all.stream().allMatch(c -> c.getStatus() == Call.Status.FAILED && "outbound-api".equals(
                c.getDirection()) && c.getStartTime() != null), "failed outbound-api calls that were dialed");

        Page<Call> first = Call.reader().setFrom(from).pageSize(50).firstPage(client);
        assertEquals(50, first.getRecords().size());
        assertTrue(first.hasNextPage());

        assertEquals(60, list(Call.reader().setFrom(from).setTo("client:" + tag + "a").pageSize(50)).size());
        assertEquals(120, list(Call.reader().setFrom(from).setStatus(Call.Status.FAILED).pageSize(50)).size());
        assertEquals(0, list(Call.reader().setFrom(from).setStatus(Call.Status.COMPLETED)).size());
        assertEquals(120, list(Call.reader().setFrom(from).setStartTimeAfter(before).pageSize(50)).size());
        assertEquals(0, list(Call.reader().setFrom(from).setStartTimeBefore(before)).size());
        assertEquals(120, list(Call.reader().setFrom(from).setStartTime(ZonedDateTime.now()).pageSize(1000)).size());

        ApiException e = assertThrows(ApiException.class,
                () -> Call.reader().setFrom(from).read(new TwilioSdk("not-the-token").client).iterator().next());
        assertEquals(20003, e.getCode());
        assertEquals(401, e.getStatusCode());
    }

    @Test
    void recordsOutliveARestartOfTheServer() throws Exception {
        Call c = cheapCall("client:restart" + uniqueNumber().substring(5), uniqueNumber());
        awaitTrue("the call over", () -> over(c.getSid()));
        bench.restartServer();
        awaitTrue("AMI connected again", () -> bench.server.outbound().available());
        Call again = Call.fetcher(c.getSid()).fetch(client);
        assertEquals(Call.Status.FAILED, again.getStatus());
        assertEquals(c.getTo(), again.getTo());
        assertEquals(c.getDateCreated(), again.getDateCreated());
    }

    @Test
    void withoutTheManagerInterfaceCreateIs503AndWorksAgainOnceItIsBack() throws Exception {
        bench.asterisk.close();
        awaitTrue("AMI lost", () -> !bench.server.outbound().available());
        ApiException e = assertThrows(ApiException.class, () -> cheapCall("client:nobody", uniqueNumber()));
        assertEquals(503, e.getStatusCode());
        assertEquals(20503, e.getCode());
        assertTrue(e.getMessage().contains("Manager Interface"), e.getMessage());

        restarted = AsteriskSandbox.start();
        awaitTrue("AMI back", () -> bench.server.outbound().available());
        Call c = cheapCall("client:back" + uniqueNumber().substring(5), uniqueNumber());
        awaitTrue("the call over", () -> over(c.getSid()));
        assertEquals(Call.Status.FAILED, Call.fetcher(c.getSid()).fetch(client).getStatus(), "Asterisk dialed it");
    }

    /**
     * The caller CANCELs while the webhook is slow: the call ends canceled at once (the server stops waiting for
     * the app), although the app then answers Reject busy.
     */
    @Test
    void aCallerWhoCancelsDuringASlowWebhookIsCanceledNeverBusy() throws Exception {
        String user = "ob-slow-cancel";
        bench.app.on(user, "/voice", WebhookApp.twiml("<Response><Reject reason=\"busy\"/></Response>")
                .setHeadersDelay(2500, TimeUnit.MILLISECONDS)); // under the bench's 3 s webhook_timeout
        CompletableFuture<SippResult> caller = Sipp.scenario("ring-cancel.xml").service(user).domain(Bench.DOMAIN)
                .pause(Duration.ofMillis(800)).timeout(Duration.ofSeconds(30)).start();
        WebhookApp.Hit fetch = bench.app.awaitHits(user, 1, Duration.ofSeconds(10)).get(0);
        WebhookApp.Hit completed = bench.app.awaitHit(WebhookApp.STATUS_PATH, "CallStatus", "canceled",
                Duration.ofSeconds(10));
        assertTrue(completed != null && completed.params().get("CallSid").equals(fetch.params().get("CallSid")),
                "completed callback canceled: " + bench.app.statusHits(user));
        assertTrue(completed.atMillis() < fetch.atMillis() + 2500,
                "reported while the app was still answering: " + (completed.atMillis() - fetch.atMillis()) + " ms");
        SippResult r = caller.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(487, r.finalInviteResponse().orElseThrow().statusCode());
        String sid = fetch.params().get("CallSid");
        awaitTrue("record final", () -> over(sid));
        assertEquals(CallStatus.CANCELED, bench.server.records().fetchCall(sid).orElseThrow().status());
        assertEquals(Call.Status.CANCELED, Call.fetcher(sid).fetch(client).getStatus());
        assertTrue(bench.app.statusHits(user).stream().noneMatch(h -> "busy".equals(h.params().get("CallStatus"))));
        assertEquals(1, bench.app.hits(user).size(), "no request after the late answer");
    }

    @Test
    void anOperatorsChannelOriginateFromTheCliRunsTheTwiml() throws Exception {
        String user = "op-cli";
        bench.app.always("/op-cli", WebhookApp.twiml("<Response><Play>/media/a440.wav</Play><Hangup/></Response>"));
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> callee = Sipp.scenario("uas-answer-wait-bye.xml")
                    .arg("-p", Integer.toString(CALLEE)).key("ring_ms", "200").rtpPort(sink.port())
                    .timeout(Duration.ofSeconds(30)).start();
            Sipp.awaitBound(CALLEE, Duration.ofSeconds(10));
            // the line documented in dialplan/twiml.conf
            String out = bench.asterisk.cli("channel originate PJSIP/trunk/sip:" + user + "@127.0.0.1:" + CALLEE
                    + " application AGI agi://127.0.0.1:4573/twiml-outbound?Url=" + bench.app.url("/op-cli"));
            assertTrue(out.isBlank(), "the CLI took it (res_clioriginate): " + out);
            assertTrue(sink.awaitToneMillis(440, 1500, 0, Duration.ofSeconds(20)), "the TwiML's Play is heard");
            SippResult ce = callee.get(30, TimeUnit.SECONDS);
            assertEquals(0, ce.exitCode(), ce::toString);
            assertEquals(1, ce.receivedRequests("BYE").size(), "the Hangup reached the callee");
        }
        WebhookApp.Hit hit = bench.app.awaitPathHits("/op-cli", 1, Duration.ofSeconds(5)).get(0);
        assertTrue(hit.signatureValid(), "signed");
        Map<String, String> p = hit.params();
        assertEquals("outbound-api", p.get("Direction"));
        assertEquals("in-progress", p.get("CallStatus"));
        assertNull(p.get("SipCallId"), "no SIP parameters on an outbound-api request");
        String sid = p.get("CallSid");
        awaitTrue("record final", () -> over(sid));
        Call record = Call.fetcher(sid).fetch(client);
        assertEquals(Call.Status.COMPLETED, record.getStatus());
        assertEquals("outbound-api", record.getDirection());
    }
}
