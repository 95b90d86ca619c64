package io.twimlagi.e2e;

import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.AmiException;
import io.twimlagi.ami.DialplanLocation;
import io.twimlagi.ami.HangupInfo;
import io.twimlagi.ami.Originate;
import io.twimlagi.ami.OriginateResult;
import io.twimlagi.e2e.harness.AsteriskSandbox;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why asterisk-conf/manager-twiml.conf grants exactly {@code read = call} and {@code write = originate,call,reporting}:
 * the sandbox's manager.conf has one user per missing permission, and each breaks something the server needs
 * (AmiIT shows that the full set is enough, without system or command).
 */
class AmiPermissionsIT {
    static final String TO = "PJSIP/trunk/sip:bob@127.0.0.1:" + AmiIT.CALLEE;
    static AsteriskSandbox asterisk;

    @BeforeAll
    static void start() {
        asterisk = AsteriskSandbox.start();
    }

    @AfterAll
    static void stop() {
        if (asterisk != null) asterisk.close();
    }

    static AmiClient login(String user) throws InterruptedException {
        AmiClient ami = AmiClient.start(Bench.amiUser(user));
        AmiIT.awaitConnected(ami, Duration.ofSeconds(10));
        return ami;
    }

    interface Action {
        void run() throws AmiException;
    }

    static void permissionDenied(Action a) {
        AmiException e = assertThrows(AmiException.class, a::run);
        assertEquals(AmiException.Reason.REFUSED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().endsWith("refused by Asterisk: Permission denied"), e.getMessage());
    }

    @Test
    void withoutOriginateNoCallCanBeStarted() throws Exception {
        try (AmiClient ami = login("no-originate")) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> ami.originate(
                    Originate.toExtension(TO, "ami-test", "park", 1)).get(10, TimeUnit.SECONDS));
            AmiException cause = assertInstanceOf(AmiException.class, e.getCause());
            assertTrue(cause.getMessage().endsWith("Permission denied"), cause.getMessage());
        }
    }

    @Test
    void withoutCallWriteNoLiveCallCanBeHungUpRedirectedOrChanged() throws Exception {
        try (AmiClient ami = login("no-call-write")) {
            String channel = "PJSIP/trunk-00000000"; // Asterisk checks the permission before the channel
            for (Action a : List.<Action>of(() -> ami.hangup(channel, 16),
                    () -> ami.redirect(channel, "ami-test", "busy", 1),
                    () -> ami.redirect(channel, new DialplanLocation("ami-test", "busy", 1), "PJSIP/trunk-00000001",
                            new DialplanLocation("ami-test", "busy", 1)),
                    () -> ami.setVar(channel, "X", "1"),
                    () -> ami.confbridgeKick("ami-room", channel),
                    () -> ami.confbridgeMute("ami-room", channel, true))) {
                permissionDenied(a);
            }
            // Getvar is allowed by "call" or "reporting": with reporting alone it runs (and finds no channel)
            AmiException getVar = assertThrows(AmiException.class, () -> ami.getVar(channel, "X"));
            assertTrue(getVar.getMessage().endsWith("No such channel"), getVar.getMessage());
        }
    }

    /** Events need read = call: without it neither the OriginateResponse nor any hangup ever reaches us. */
    @Test
    void withoutCallReadNoOriginateResultAndNoHangupEventArrives() throws Exception {
        try (AmiClient full = login(Bench.AMI_USER); AmiClient blind = login("no-call-read")) {
            CompletableFuture<SippResult> callee = Sipp.scenario("uas-answer-wait-bye.xml")
                    .arg("-p", Integer.toString(AmiIT.CALLEE)).key("ring_ms", "200").timeout(Duration.ofSeconds(30))
                    .start();
            Sipp.awaitBound(AmiIT.CALLEE, Duration.ofSeconds(10));
            CompletableFuture<HangupInfo> seen = new CompletableFuture<>();
            CompletableFuture<HangupInfo> unseen = new CompletableFuture<>();
            full.onHangup("perm-blind", seen::complete);
            blind.onHangup("perm-blind", unseen::complete);
            // answered, then the dialplan hangs it up at once with cause 17
            CompletableFuture<OriginateResult> result = blind.originate(Originate.toExtension(TO, "ami-test", "busy",
                    1).withChannelIds("perm-blind", null).withTimeout(Duration.ofSeconds(2)));
            assertEquals(17, seen.get(10, TimeUnit.SECONDS).cause(), "the call ran and hung up");
            assertEquals(0, AmiIT.ok(callee).exitCode());
            ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(15, TimeUnit.SECONDS));
            AmiException cause = assertInstanceOf(AmiException.class, e.getCause());
            assertEquals(AmiException.Reason.TIMEOUT, cause.reason(), cause.getMessage());
            assertFalse(unseen.isDone(), "the same hangup never reached the user without read = call");
        }
    }

    /**
     * asterisk-java asks CoreSettings (system or reporting) at every login to learn Asterisk's version; without it
     * it retries for about 2 s and logs an error, at every (re)connection.
     */
    @Test
    void withoutReportingEveryLoginTakesSecondsLonger() throws Exception {
        long t0 = System.nanoTime();
        try (AmiClient ami = login(Bench.AMI_USER)) {
            long withReporting = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            try (AmiClient slow = login("no-reporting")) {
                long withoutReporting = (System.nanoTime() - t1) / 1_000_000;
                assertTrue(withReporting < 1500 && withoutReporting >= 1900,
                        "login with reporting " + withReporting + " ms, without " + withoutReporting + " ms");
            }
        }
    }

    /**
     * The shipped eventfilter lines: even a session asking for every event ({@code Events: on}) gets only the three
     * the client uses, where a user without filter gets the whole call-class stream.
     */
    @Test
    void theServersUserIsSentOnlyTheEventsTheClientUses() throws Exception {
        try (Socket filtered = rawLogin(Bench.AMI_USER); Socket unfiltered = rawLogin("diag");
             AmiClient ami = login(Bench.AMI_USER)) {
            CompletableFuture<SippResult> callee = Sipp.scenario("uas-reject.xml")
                    .arg("-p", Integer.toString(AmiIT.CALLEE)).key("ring_ms", "200").finalCode(486)
                    .timeout(Duration.ofSeconds(30)).start();
            Sipp.awaitBound(AmiIT.CALLEE, Duration.ofSeconds(10));
            OriginateResult r = ami.originate(Originate.toExtension(TO, "ami-test", "park", 1)
                    .withChannelIds("perm-filter", null)).get(20, TimeUnit.SECONDS);
            assertFalse(r.success());
            AmiIT.ok(callee);
            // Asterisk sends the OriginateResponse and the Hangup from different threads: either may come first
            assertEquals(List.of("Hangup", "HangupRequest", "OriginateResponse"),
                    eventsUntilHangup(filtered).stream().sorted().toList());
            List<String> all = eventsUntilHangup(unfiltered);
            assertTrue(all.containsAll(List.of("Newchannel", "Newstate")), all.toString());
        }
    }

    static Socket rawLogin(String user) throws IOException {
        Socket s = new Socket("127.0.0.1", 5038);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("Action: Login\r\nUsername: " + user + "\r\nSecret: " + Bench.AMI_SECRET
                + "\r\nEvents: on\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** Event names of the channel perm-filter read from a raw session, up to its Hangup and OriginateResponse. */
    static List<String> eventsUntilHangup(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        String event = null;
        boolean ours = false;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("Event: ")) event = line.substring(7);
            if (line.equals("Uniqueid: perm-filter")) ours = true;
            if (line.isEmpty()) {
                if (event != null && ours) events.add(event);
                if (ours && events.contains("Hangup") && events.contains("OriginateResponse")) return events;
                event = null;
                ours = false;
            }
        }
        throw new AssertionError("no Hangup and OriginateResponse events; saw " + events);
    }

    /** command() is for diagnostics: only a user with "command" (never the server's) may run CLI commands. */
    @Test
    void cliCommandsNeedTheCommandPermissionTheServersUserLacks() throws Exception {
        try (AmiClient server = login(Bench.AMI_USER); AmiClient diag = login("diag")) {
            permissionDenied(() -> server.command("core show version"));
            assertTrue(diag.command("core show version").startsWith("Asterisk 22."), diag.command("core show version"));
        }
    }
}
