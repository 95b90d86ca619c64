package io.twimlagi.e2e;

import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.AmiException;
import io.twimlagi.ami.HangupInfo;
import io.twimlagi.ami.Originate;
import io.twimlagi.ami.OriginateReason;
import io.twimlagi.ami.OriginateResult;
import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AMI client on the real Asterisk 22 with the permissions of asterisk-conf/manager-twiml.conf: originate to a
 * sipp callee (answered, busy, no answer, refused), live-channel actions, and hangup events, also for a caller who
 * CANCELs while its call waits in our AGI for a slow webhook. Callees listen on 127.0.0.1:{@value #CALLEE}; the
 * answered calls park in the sandbox's [ami-test] context.
 */
class AmiIT {
    static final int CALLEE = 5074;
    static final String TO = "PJSIP/trunk/sip:bob@127.0.0.1:" + CALLEE;
    static Bench bench;
    static AmiClient ami;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        ami = AmiClient.start(bench.ami());
        awaitConnected(ami, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        if (ami != null) ami.close();
        if (bench != null) bench.close();
    }

    static void awaitConnected(AmiClient client, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!client.isConnected()) {
            if (System.nanoTime() > deadline) throw new AssertionError("AMI not connected within " + max);
            Thread.sleep(20);
        }
    }

    static CompletableFuture<SippResult> callee(String scenario, int finalCode) throws InterruptedException {
        CompletableFuture<SippResult> f = Sipp.scenario(scenario).arg("-p", Integer.toString(CALLEE))
                .key("ring_ms", "300").finalCode(finalCode).timeout(Duration.ofSeconds(40)).start();
        Sipp.awaitBound(CALLEE, Duration.ofSeconds(10));
        return f;
    }

    static SippResult ok(CompletableFuture<SippResult> run) throws Exception {
        SippResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r.ladder() + "\n" + r.output() + "\n" + r.errors());
        return r;
    }

    static AmiException failure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(AmiException.class, e.getCause());
    }

    @Test
    void originateAnsweredThenLiveActionsAndHangupWithItsEvent() throws Exception {
        CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", 200);
        CompletableFuture<HangupInfo> hungUp = new CompletableFuture<>();
        ami.onHangup("ami-it-answered", hungUp::complete); // before the channel exists: its Uniqueid is ours
        OriginateResult r = ami.originate(Originate.toExtension(TO, "ami-test", "park", 1)
                .withCallerId("\"AMI test\" <+15550002222>").withVariable("AMI_TEST", "v=1&x")
                .withChannelIds("ami-it-answered", null)).get(20, TimeUnit.SECONDS);
        assertEquals(new OriginateResult(true, OriginateReason.ANSWERED, r.channel(), "ami-it-answered", null), r);
        assertTrue(r.channel().startsWith("PJSIP/trunk-"), r.channel());

        assertEquals("v=1&x", ami.getVar(r.channel(), "AMI_TEST"), "the Originate's variable is on the channel");
        assertEquals("Up", ami.getVar(r.channel(), "CHANNEL(state)"));
        ami.setVar(r.channel(), "TWIML_NOTE", "set over AMI");
        assertEquals("set over AMI", ami.getVar(r.channel(), "TWIML_NOTE"));
        assertFalse(hungUp.isDone());

        long asked = System.nanoTime();
        ami.hangup(r.channel(), 16);
        HangupInfo info = hungUp.get(5, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - asked) / 1_000_000;
        assertTrue(ms < 1000, "hangup event within 1 s: " + ms + " ms");
        assertEquals("ami-it-answered", info.uniqueId());
        assertEquals(r.channel(), info.channel());
        SippResult ce = ok(callee);
        SipMessage invite = ce.receivedRequests("INVITE").get(0);
        assertTrue(invite.header("From").contains("+15550002222"), invite.header("From"));
        assertEquals(1, ce.receivedRequests("BYE").size(), "the callee got BYE");
    }

    /**
     * Asterisk 22 surprise: the Reason of a PJSIP callee's 486 is 0 (FAILED), not 5 (BUSY): chan_pjsip sends no BUSY
     * control frame, so main/dial.c records no cause. The busy signal is the channel's hangup: cause 17, SIP 486.
     */
    @Test
    void originateToABusyCalleeFailsWithReason0AndItsHangupSaysCause17Sip486() throws Exception {
        CompletableFuture<SippResult> callee = callee("uas-reject.xml", 486);
        CompletableFuture<HangupInfo> hungUp = new CompletableFuture<>();
        ami.onHangup("ami-it-busy", hungUp::complete);
        OriginateResult r = ami.originate(Originate.toExtension(TO, "ami-test", "park", 1)
                .withChannelIds("ami-it-busy", null)).get(20, TimeUnit.SECONDS);
        assertFalse(r.success());
        assertEquals(OriginateReason.FAILED, r.reason(), r.toString());
        assertEquals("ami-it-busy", r.uniqueId());
        assertEquals(17, r.hangup().cause(), r.toString());
        assertEquals(486, r.hangup().sipCode(), r.toString());
        assertEquals(r.hangup(), hungUp.get(5, TimeUnit.SECONDS), "the caller's own subscription heard the same");
        ok(callee);

        CompletableFuture<SippResult> declined = callee("uas-reject.xml", 603);
        OriginateResult d = ami.originate(Originate.toExtension(TO, "ami-test", "park", 1)).get(20, TimeUnit.SECONDS);
        assertEquals(OriginateReason.FAILED, d.reason(), d.toString());
        assertTrue(d.uniqueId().startsWith("twiml-"), "a generated Uniqueid: " + d);
        assertEquals(603, d.hangup().sipCode(), d.toString());
        ok(declined);
    }

    @Test
    void originateNotAnsweredWithinItsTimeoutGivesReason3() throws Exception {
        CompletableFuture<SippResult> callee = callee("uas-noanswer.xml", 200);
        long t0 = System.nanoTime();
        OriginateResult r = ami.originate(Originate.toExtension(TO, "ami-test", "park", 1)
                .withTimeout(Duration.ofSeconds(2))).get(20, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(r.success());
        assertEquals(OriginateReason.NO_ANSWER, r.reason(), r.toString());
        assertEquals(19, r.hangup().cause(), r.toString());
        assertTrue(ms >= 1900 && ms < 5000, "ended by the 2 s timeout: " + ms + " ms");
        ok(callee); // it got the CANCEL
    }

    @Test
    void asteriskRefusalsComeBackWithItsMessage() throws Exception {
        AmiException noExten = failure(ami.originate(Originate.toExtension(TO, "no-such-context", "s", 1)));
        assertEquals(AmiException.Reason.REFUSED, noExten.reason());
        assertTrue(noExten.getMessage().endsWith("refused by Asterisk: Extension does not exist."),
                noExten.getMessage());
        // entering AGI straight from an Originate needs the "system" permission: use a dialplan location instead
        AmiException agi = failure(ami.originate(Originate.toApplication(TO, "AGI", "agi://127.0.0.1:4573/twiml")));
        assertEquals(AmiException.Reason.REFUSED, agi.reason());
        assertTrue(agi.getMessage().endsWith("Originate Access Forbidden: app or data blacklisted"), agi.getMessage());

        AmiException gone = assertThrows(AmiException.class, () -> ami.hangup("PJSIP/trunk-7fffffff", 16));
        assertEquals(AmiException.Reason.REFUSED, gone.reason());
        assertTrue(gone.getMessage().endsWith("No such channel"), gone.getMessage());
        assertTrue(assertThrows(AmiException.class, () -> ami.redirect("PJSIP/trunk-7fffffff", "ami-test", "busy", 1))
                .getMessage().contains("Channel does not exist"));
        assertTrue(assertThrows(AmiException.class, () -> ami.confbridgeKick("no-such-room", "PJSIP/trunk-7fffffff"))
                .getMessage().contains("No "));
        // the server's user has no "command" permission (any CLI command)
        AmiException cli = assertThrows(AmiException.class, () -> ami.command("core show version"));
        assertEquals("Command 'core show version' refused by Asterisk: Permission denied", cli.getMessage());
    }

    @Test
    void redirectMovesALiveChannelAndConfbridgeMuteAndKickWork() throws Exception {
        CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", 200);
        OriginateResult r = ami.originate(Originate.toExtension(TO, "ami-test", "conf", 1)
                .withChannelIds("ami-it-conf", null)).get(20, TimeUnit.SECONDS);
        assertTrue(r.success(), r.toString());
        CompletableFuture<HangupInfo> hungUp = new CompletableFuture<>();
        ami.onHangup("ami-it-conf", hungUp::complete);
        awaitInConference(r.channel());
        ami.confbridgeMute("ami-room", r.channel(), true);
        assertTrue(bench.asterisk.cli("confbridge list ami-room").contains("m"), "listed as muted");
        ami.confbridgeMute("ami-room", r.channel(), false);
        ami.confbridgeKick("ami-room", r.channel());
        HangupInfo info = hungUp.get(5, TimeUnit.SECONDS); // kicked: the dialplan goes on to Hangup(16)
        assertEquals(new HangupInfo("ami-it-conf", r.channel(), 16, "Normal Clearing", 0), info);
        ok(callee);

        CompletableFuture<SippResult> second = callee("uas-answer-wait-bye.xml", 200);
        OriginateResult parked = ami.originate(Originate.toExtension(TO, "ami-test", "park", 1)
                .withChannelIds("ami-it-redirect", null)).get(20, TimeUnit.SECONDS);
        CompletableFuture<HangupInfo> redirected = new CompletableFuture<>();
        ami.onHangup("ami-it-redirect", redirected::complete);
        ami.redirect(parked.channel(), "ami-test", "busy", 1);
        assertEquals(17, redirected.get(5, TimeUnit.SECONDS).cause(), "Hangup(17) of the redirect target ran");
        ok(second);
    }

    void awaitInConference(String channel) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!bench.asterisk.cli("confbridge list ami-room").contains(channel)) {
            if (System.nanoTime() > deadline) throw new AssertionError(channel + " never joined ami-room");
            Thread.sleep(50);
        }
    }

    /** The Uniqueid of the one channel running our AGI for a call from sipp, once it is there. */
    String agiChannelUniqueId() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String line : bench.asterisk.cli("core show channels concise").split("\n")) {
                if (line.startsWith("PJSIP/sipp-") && line.contains("!AGI!")) {
                    for (String l : bench.asterisk.cli("core show channel " + line.split("!")[0]).split("\n")) {
                        if (l.strip().startsWith("UniqueID:")) return l.substring(l.indexOf(':') + 1).strip();
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no sipp channel in AGI:\n" + bench.asterisk.cli("core show channels concise"));
    }

    @Test
    void aCallerWhoCancelsDuringASlowWebhookIsReportedAtOnceNotWhenTheAgiEnds() throws Exception {
        String user = "ami-cancel";
        bench.app.on(user, "/voice", WebhookApp.twiml("<Response><Say>too late</Say></Response>")
                .setHeadersDelay(2500, TimeUnit.MILLISECONDS)); // under the bench's 3 s webhook_timeout
        CompletableFuture<SippResult> caller = Sipp.scenario("ring-cancel.xml").service(user).domain(Bench.DOMAIN)
                .pause(Duration.ofMillis(1200)).timeout(Duration.ofSeconds(30)).start();
        long fetchStartedAt = bench.app.awaitHits(user, 1, Duration.ofSeconds(10)).get(0).atMillis();
        AtomicLong heardAt = new AtomicLong();
        CompletableFuture<HangupInfo> hungUp = new CompletableFuture<>();
        ami.onHangup(agiChannelUniqueId(), info -> {
            heardAt.set(System.currentTimeMillis());
            hungUp.complete(info);
        });
        HangupInfo info = hungUp.get(10, TimeUnit.SECONDS);
        SippResult r = ok(caller);
        LocalDateTime cancelSent = r.sent().stream().filter(m -> "CANCEL".equals(m.method()) && !m.isResponse())
                .findFirst().orElseThrow().time();
        long cancelMillis = cancelSent.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        long afterCancel = heardAt.get() - cancelMillis;
        assertTrue(afterCancel >= -50 && afterCancel < 1000, "heard " + afterCancel + " ms after the CANCEL");
        assertTrue(heardAt.get() < fetchStartedAt + 2500, "heard while the webhook was still being fetched");
        assertTrue(info.channel().startsWith("PJSIP/sipp-"), info.toString());
        assertTrue(r.finalInviteResponse().map(m -> m.statusCode() == 487).orElse(false), r.ladder());
    }
}
