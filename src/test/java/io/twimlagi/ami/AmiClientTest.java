package io.twimlagi.ami;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.twimlagi.config.Ami;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AmiClient} against {@link FakeAmi}: asterisk-java's real manager connection over TCP. */
class AmiClientTest {
    static final String SECRET = "s3cret-for-tests";
    /** Short clocks: a 1 s action timeout, reconnection every 20..200 ms, no ping during a test. */
    static final AmiTiming FAST = new AmiTiming(Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofMinutes(5));

    FakeAmi ami;
    AmiClient client;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger connectorLog = (Logger) LoggerFactory.getLogger(AmiConnector.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        connectorLog.addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) client.close();
        if (ami != null) ami.close();
        connectorLog.detachAppender(logs);
    }

    AmiClient start(FakeAmi f, AmiTiming timing) {
        return AmiClient.start(new Ami("127.0.0.1", f.port(), FakeAmi.USER, SECRET), timing);
    }

    AmiClient connected() throws Exception {
        ami = FakeAmi.start(SECRET);
        client = start(ami, FAST);
        await(client::isConnected, "connected");
        return client;
    }

    /** Waits for a condition the client reaches on its own threads (polls; fails after 5 s). */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not " + what + " within 5 s");
            Thread.sleep(5);
        }
    }

    List<String> logLines() {
        // the connector logs from its own threads; ListAppender appends while holding its own monitor
        synchronized (logs) {
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Lines containing {@code part}; name the FakeAmi's port: a connector of another test may still be logging. */
    long logCount(String part) {
        return logLines().stream().filter(l -> l.contains(part)).count();
    }

    static AmiException amiFailure(CompletableFuture<?> f) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(AmiException.class, e.getCause());
    }

    // ------------------------------------------------------------------------------------------ connection

    @Test
    void startsAtOnceWhileAsteriskIsDownFailsFastAndConnectsWhenItComesUp() throws Exception {
        ami = FakeAmi.notListening(SECRET);
        long t0 = System.nanoTime();
        // a 10 s action timeout, so that "fail fast" (under 2 s, generous for a loaded machine) means not waiting it
        client = start(ami, new AmiTiming(Duration.ofSeconds(10), FAST.minBackoff(), FAST.maxBackoff(),
                FAST.pingInterval()));
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(2000), "start must not wait for Asterisk");
        assertFalse(client.isConnected());
        await(() -> logCount("cannot connect to 127.0.0.1:" + ami.port()) == 1, "logged the refused connection");

        long t1 = System.nanoTime();
        AmiException e = assertThrows(AmiException.class, () -> client.hangup("PJSIP/a-00000001", 16));
        assertEquals(AmiException.Reason.NOT_CONNECTED, e.reason());
        assertTrue(e.getMessage().contains("AMI is not connected (Connection refused"), e.getMessage());
        CompletableFuture<OriginateResult> o = client.originate(Originate.toExtension("PJSIP/bob", "c", "s", 1));
        assertTrue(o.isCompletedExceptionally(), "fails at once");
        assertEquals(AmiException.Reason.NOT_CONNECTED, amiFailure(o).reason());
        assertTrue(System.nanoTime() - t1 < TimeUnit.MILLISECONDS.toNanos(2000), "fail fast");

        ami.listen();
        await(client::isConnected, "connected once Asterisk listens");
        assertEquals(1, logCount("cannot connect to 127.0.0.1:" + ami.port()), "one line for the whole outage: " + logLines());
        assertEquals(1, logCount("AMI connected to 127.0.0.1:" + ami.port() + " as twiml-agi"), logLines().toString());
    }

    @Test
    void reconnectsWhenAsteriskDropsTheConnectionAndAfterItRestarts() throws Exception {
        connected();
        ami.dropConnections();
        ami.awaitLogins(2, Duration.ofSeconds(5));
        await(client::isConnected, "reconnected");
        assertEquals(1, logCount("lost: Asterisk closed the connection; reconnecting"), logLines().toString());

        ami.stopListening();
        await(() -> !client.isConnected(), "disconnected");
        assertEquals(AmiException.Reason.NOT_CONNECTED,
                assertThrows(AmiException.class, () -> client.setVar("PJSIP/a-00000001", "X", "1")).reason());
        await(() -> logCount("cannot connect to 127.0.0.1:" + ami.port()) == 1, "logged the refused reconnection");
        ami.listen();
        ami.awaitLogins(3, Duration.ofSeconds(5));
        await(client::isConnected, "reconnected after the restart");
        assertEquals(3, logCount("AMI connected to 127.0.0.1:" + ami.port()), logLines().toString());
        assertEquals(1, logCount("cannot connect to 127.0.0.1:" + ami.port()), "one line however many attempts: " + logLines());
    }

    @Test
    void aRefusedLoginIsRetriedUntilManagerConfAgrees() throws Exception {
        ami = FakeAmi.start("another-secret");
        client = start(ami, FAST);
        await(() -> logCount("login refused (Authentication failed)") == 1, "logged the refusal");
        assertFalse(client.isConnected());
        ami.secret(SECRET); // the operator fixes manager.conf and reloads
        await(client::isConnected, "connected with the right secret");
        assertEquals(1, logCount("login refused"), logLines().toString());
    }

    @Test
    void aConnectionWhosePingGoesUnansweredIsReplaced() throws Exception {
        ami = FakeAmi.start(SECRET);
        client = start(ami, new AmiTiming(Duration.ofMillis(300), Duration.ofMillis(20), Duration.ofMillis(100),
                Duration.ofMillis(100)));
        await(client::isConnected, "connected");
        ami.answerPings(false); // Asterisk hung, TCP still up
        await(() -> logCount("lost: no answer to Ping within 300 ms") >= 1, "ping failure noticed");
        ami.answerPings(true);
        ami.awaitLogins(2, Duration.ofSeconds(5));
        await(client::isConnected, "connected again");
    }

    @Test
    void closeStopsReconnectingAndFailsOriginatesStillWaiting() throws Exception {
        connected();
        ami.on("Originate", (a, s) -> s.reply(a, "Response: Success", "Message: Originate successfully queued"));
        CompletableFuture<OriginateResult> waiting = client.originate(Originate.toExtension("PJSIP/bob", "c", "s", 1));
        await(() -> ami.actions().size() == 1, "originate sent");
        client.close();
        assertEquals(AmiException.Reason.NOT_CONNECTED, amiFailure(waiting).reason());
        assertFalse(client.isConnected());
        assertEquals(AmiException.Reason.NOT_CONNECTED,
                assertThrows(AmiException.class, () -> client.hangup("PJSIP/a-00000001", 0)).reason());
        assertTrue(logLines().get(logLines().size() - 1).contains("closed"), logLines().toString());
    }

    // ------------------------------------------------------------------------------------------ actions

    @Test
    void hangupSendsTheChannelAndCause() throws Exception {
        connected();
        ami.on("Hangup", (a, s) -> s.reply(a, "Response: Success", "Message: Channel Hungup"));
        client.hangup("PJSIP/sipp-00000001", 17);
        client.hangup("PJSIP/sipp-00000002", 0);
        List<FakeAmi.Action> sent = ami.actions();
        assertEquals("PJSIP/sipp-00000001", sent.get(0).get("Channel"));
        assertEquals("17", sent.get(0).get("Cause"));
        assertNull(sent.get(1).get("Cause"), "0 keeps the channel's own cause");
    }

    /** A REST call's cancel: its dialing half by the Uniqueid the Originate fixed; the dialplan's flag, global. */
    @Test
    void aChannelIsHungUpByItsUniqueidAndAGlobalIsSetWithoutAChannel() throws Exception {
        connected();
        ami.on("Hangup", (a, s) -> s.reply(a, "Response: Success", "Message: Channel Hungup"));
        ami.on("Setvar", (a, s) -> s.reply(a, "Response: Success", "Message: Variable Set"));
        client.hangupUniqueId("CA0123456789abcdef0123456789abcdef.2", 16);
        client.setGlobalVar("TWIML_CANCELED_CA0123456789abcdef0123456789abcdef", "1");
        List<FakeAmi.Action> sent = ami.actions();
        assertEquals("CA0123456789abcdef0123456789abcdef.2|16", sent.get(0).get("Channel") + "|"
                + sent.get(0).get("Cause"));
        assertEquals("TWIML_CANCELED_CA0123456789abcdef0123456789abcdef|1", sent.get(1).get("Variable") + "|"
                + sent.get(1).get("Value"));
        assertNull(sent.get(1).get("Channel"), "no channel: a global");
        List<Executable> bad = List.of(
                () -> client.hangupUniqueId("/.*/", 16),                     // a regex: every channel
                () -> client.hangupUniqueId("CA1\r\nAction: Command", 16),
                () -> client.hangupUniqueId("CA1", 0),
                () -> client.setGlobalVar("SHELL(id)", "1"),
                () -> client.setGlobalVar("A", "1\r\nAction: Command"));
        for (Executable e : bad) assertThrows(IllegalArgumentException.class, e);
        assertEquals(2, ami.actions().size(), "nothing more was sent");
    }

    @Test
    void asterisksRefusalAndSilenceBecomeAmiExceptions() throws Exception {
        connected();
        ami.on("Hangup", (a, s) -> s.reply(a, "Response: Error", "Message: No such channel"));
        ami.on("Redirect", (a, s) -> { }); // never answers
        AmiException refused = assertThrows(AmiException.class, () -> client.hangup("PJSIP/gone-00000001", 16));
        assertEquals(AmiException.Reason.REFUSED, refused.reason());
        assertEquals("Hangup of PJSIP/gone-00000001 refused by Asterisk: No such channel", refused.getMessage());
        long t0 = System.nanoTime();
        AmiException silent = assertThrows(AmiException.class,
                () -> client.redirect("PJSIP/a-00000001", "ctx", "s", 1));
        assertEquals(AmiException.Reason.TIMEOUT, silent.reason());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(900), "waited the action timeout");
        assertTrue(client.isConnected(), "one slow answer does not drop the connection");
    }

    @Test
    void variablesRedirectsConfbridgeAndCommandsSendAsterisksHeaders() throws Exception {
        connected();
        ami.on("Getvar", (a, s) -> s.reply(a, "Response: Success", "Variable: " + a.get("Variable"), "Value: 42"));
        ami.on("Setvar", (a, s) -> s.reply(a, "Response: Success", "Message: Variable Set"));
        ami.on("Redirect", (a, s) -> s.reply(a, "Response: Success", "Message: Redirect successful"));
        ami.on("ConfbridgeKick", (a, s) -> s.reply(a, "Response: Success", "Message: User kicked"));
        ami.on("ConfbridgeMute", (a, s) -> s.reply(a, "Response: Success", "Message: User muted"));
        ami.on("ConfbridgeUnmute", (a, s) -> s.reply(a, "Response: Success", "Message: User unmuted"));
        ami.on("Command", (a, s) -> s.reply(a, "Response: Success", "Message: Command output follows",
                "Output: Asterisk 22.10.1 built by", "Output: second line"));

        assertEquals("42", client.getVar("PJSIP/a-00000001", "CHANNEL(state)"));
        client.setVar("PJSIP/a-00000001", "TWIML_URL", "http://x/y?a=1&b=2");
        client.redirect("PJSIP/a-00000001", "twiml-ctx", "s", 2);
        client.redirect("PJSIP/a-00000001", new DialplanLocation("c1", "e1", 1), "PJSIP/b-00000002",
                new DialplanLocation("c2", "e2", 3));
        client.confbridgeKick("room-1", "PJSIP/a-00000001");
        client.confbridgeMute("room-1", "PJSIP/a-00000001", true);
        client.confbridgeMute("room-1", "PJSIP/a-00000001", false);
        assertEquals("Asterisk 22.10.1 built by\nsecond line", client.command("core show version"));

        List<FakeAmi.Action> a = ami.actions();
        assertEquals("PJSIP/a-00000001|CHANNEL(state)", a.get(0).get("Channel") + "|" + a.get(0).get("Variable"));
        assertEquals("TWIML_URL|http://x/y?a=1&b=2", a.get(1).get("Variable") + "|" + a.get(1).get("Value"));
        assertEquals("twiml-ctx|s|2", a.get(2).get("Context") + "|" + a.get(2).get("Exten") + "|"
                + a.get(2).get("Priority"));
        assertEquals("PJSIP/b-00000002|c2|e2|3", a.get(3).get("ExtraChannel") + "|" + a.get(3).get("ExtraContext")
                + "|" + a.get(3).get("ExtraExten") + "|" + a.get(3).get("ExtraPriority"));
        assertEquals("room-1|PJSIP/a-00000001", a.get(4).get("Conference") + "|" + a.get(4).get("Channel"));
        assertEquals(List.of("ConfbridgeMute", "ConfbridgeUnmute"), List.of(a.get(5).name(), a.get(6).name()));
        assertEquals("core show version", a.get(7).get("Command"));
    }

    @Test
    void badValuesAreRefusedBeforeAnythingIsSent() throws Exception {
        connected();
        List<Runnable> bad = List.of(
                () -> call(() -> client.hangup("PJSIP/a-00000001\r\nAction: Command", 16)),
                () -> call(() -> client.hangup("/PJSIP.*/", 16)),
                () -> call(() -> client.hangup("PJSIP/a-00000001", 128)),
                () -> call(() -> client.setVar("PJSIP/a-00000001", "X", "1\nAction: Originate")),
                () -> call(() -> client.setVar("PJSIP/a-00000001", "A=B", "1")),
                () -> call(() -> client.getVar("", "X")),
                () -> call(() -> client.confbridgeKick("room", "all")),
                () -> call(() -> client.confbridgeMute("room", "Participants", true)),
                () -> call(() -> client.command("core show version\r\n\r\nAction: Logoff")),
                () -> client.originate(Originate.toExtension("PJSIP/bob", "c", "s", 1).withVariable("X", "a\rb")),
                () -> client.onHangup("1.2\n", info -> { }));
        for (Runnable r : bad) assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(List.of(), ami.actions(), "nothing reached Asterisk");
    }

    interface AmiCall {
        void run() throws AmiException;
    }

    static void call(AmiCall c) {
        try {
            c.run();
        } catch (AmiException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------ originate

    /** Answers each Originate with "queued" and hands it to the test, which sends its OriginateResponse. */
    LinkedBlockingQueue<Object[]> queueOriginates() {
        LinkedBlockingQueue<Object[]> q = new LinkedBlockingQueue<>();
        ami.on("Originate", (a, s) -> {
            s.reply(a, "Response: Success", "Message: Originate successfully queued");
            q.add(new Object[] {a, s});
        });
        return q;
    }

    static void respond(Object[] pending, String response, int reason, String channel, String uniqueId)
            throws Exception {
        FakeAmi.Action a = (FakeAmi.Action) pending[0];
        ((FakeAmi.Session) pending[1]).send("Event: OriginateResponse", "Privilege: call,all",
                "ActionID: " + a.get("ActionID"), "Response: " + response, "Channel: " + channel, "Context: ami-test",
                "Exten: park", "Reason: " + reason, "Uniqueid: " + uniqueId, "CallerIDNum: <unknown>",
                "CallerIDName: <unknown>");
    }

    @Test
    void originateSendsEveryFieldAndReportsAnsweredOnTheClientsThread() throws Exception {
        connected();
        LinkedBlockingQueue<Object[]> q = queueOriginates();
        Originate o = Originate.toExtension("PJSIP/trunk/sip:bob@127.0.0.1:5072", "ami-test", "park", 1)
                .withTimeout(Duration.ofSeconds(7)).withCallerId("\"Alice\" <+15550001111>")
                .withVariable("TWIML_URL", "http://app/voice?a=1&b=c=d").withVariable("PJSIP_HEADER(add,X-Tag)", "7")
                .withChannelIds("CA0123.1", "CA0123.2");
        CompletableFuture<OriginateResult> f = client.originate(o);
        CompletableFuture<String> thread = f.thenApply(r -> Thread.currentThread().getName());
        Object[] pending = q.poll(5, TimeUnit.SECONDS);
        FakeAmi.Action a = (FakeAmi.Action) pending[0];
        assertEquals("PJSIP/trunk/sip:bob@127.0.0.1:5072", a.get("Channel"));
        assertEquals("ami-test|park|1|7000", a.get("Context") + "|" + a.get("Exten") + "|" + a.get("Priority") + "|"
                + a.get("Timeout"));
        assertEquals("\"Alice\" <+15550001111>", a.get("CallerID"));
        assertEquals("TWIML_URL=http://app/voice?a=1&b=c=d\nPJSIP_HEADER(add,X-Tag)=7", a.get("Variable"));
        assertEquals("CA0123.1|CA0123.2", a.get("ChannelId") + "|" + a.get("OtherChannelId"));
        assertEquals("true", a.get("Async"));
        assertFalse(f.isDone(), "waits for the OriginateResponse");

        respond(pending, "Success", 4, "PJSIP/trunk-00000001", "CA0123.1");
        // waiting on the dependent (not on f, whose waiter could run it): it runs where f was completed
        assertTrue(thread.get(5, TimeUnit.SECONDS).startsWith("ami-events-"), thread.get());
        assertEquals(new OriginateResult(true, OriginateReason.ANSWERED, "PJSIP/trunk-00000001", "CA0123.1", null),
                f.get(5, TimeUnit.SECONDS));
    }

    @Test
    void originateFailuresBusyRefusedLostAndSilent() throws Exception {
        connected();
        LinkedBlockingQueue<Object[]> q = queueOriginates();
        // Asterisk 22 with PJSIP: HangupRequest (cause 17, TechCause 486) comes first, then Reason 0
        CompletableFuture<OriginateResult> busy = client.originate(Originate.toApplication("PJSIP/bob", "Wait", "5"));
        Object[] pending = q.poll(5, TimeUnit.SECONDS);
        String id = ((FakeAmi.Action) pending[0]).get("ChannelId");
        assertTrue(id.startsWith("twiml-"), "a Uniqueid is always fixed: " + id);
        ami.event(hangupEvent("HangupRequest", id, 17, 486));
        respond(pending, "Failure", 0, "PJSIP/bob", id);
        assertEquals(new OriginateResult(false, OriginateReason.FAILED, "PJSIP/bob", id,
                new HangupInfo(id, "PJSIP/sipp-00000007", 17, "User busy", 486)), busy.get(5, TimeUnit.SECONDS));

        // no channel was made (unknown endpoint): no hangup event, the result comes without one
        CompletableFuture<OriginateResult> noChannel = client.originate(Originate.toExtension("PJSIP/nobody", "c",
                "s", 1).withChannelIds("given-id", null));
        pending = q.poll(5, TimeUnit.SECONDS);
        assertEquals("given-id", ((FakeAmi.Action) pending[0]).get("ChannelId"));
        respond(pending, "Failure", 0, "PJSIP/nobody", "given-id");
        assertEquals(new OriginateResult(false, OriginateReason.FAILED, "PJSIP/nobody", "given-id", null),
                noChannel.get(5, TimeUnit.SECONDS));
        assertEquals(0, client.waitingSubscriptions(), "the channel's hangup subscription is gone");

        ami.on("Originate", (a, s) -> s.reply(a, "Response: Error", "Message: Extension does not exist."));
        AmiException refused = amiFailure(client.originate(Originate.toExtension("PJSIP/bob", "nowhere", "s", 1)));
        assertEquals(AmiException.Reason.REFUSED, refused.reason());
        assertEquals("Originate of PJSIP/bob refused by Asterisk: Extension does not exist.", refused.getMessage());

        ami.on("Originate", (a, s) -> {
            s.reply(a, "Response: Success", "Message: Originate successfully queued");
            s.close(); // Asterisk goes away before the call ends
        });
        AmiException lost = amiFailure(client.originate(Originate.toExtension("PJSIP/bob", "c", "s", 1)));
        assertEquals(AmiException.Reason.NOT_CONNECTED, lost.reason());
        assertTrue(lost.getMessage().contains("lost before Asterisk's OriginateResponse"), lost.getMessage());

        ami.awaitLogins(2, Duration.ofSeconds(5)); // the old session may still look connected for an instant
        await(client::isConnected, "reconnected");
        ami.on("Originate", (a, s) -> s.reply(a, "Response: Success", "Message: Originate successfully queued"));
        long t0 = System.nanoTime();
        AmiException silent = amiFailure(client.originate(Originate.toExtension("PJSIP/bob", "c", "s", 1)
                .withTimeout(Duration.ofMillis(500))));
        assertEquals(AmiException.Reason.TIMEOUT, silent.reason());
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waitedMs >= 1400 && waitedMs < 4000, "ringing timeout + action timeout: " + waitedMs);
    }

    @Test
    void originateReasonsAreAsterisksNumbers() {
        assertEquals(List.of(0, 1, 3, 4, 5, 8), List.of(OriginateReason.FAILED.code(), OriginateReason.HUNG_UP.code(),
                OriginateReason.NO_ANSWER.code(), OriginateReason.ANSWERED.code(), OriginateReason.BUSY.code(),
                OriginateReason.CONGESTION.code()));
        assertEquals(OriginateReason.CONGESTION, OriginateReason.of(8));
        assertEquals(OriginateReason.OTHER, OriginateReason.of(2));
        assertEquals(OriginateReason.OTHER, OriginateReason.of(null));
    }

    // ------------------------------------------------------------------------------------------ events

    static String[] hangupEvent(String event, String uniqueId, int cause, Integer techCause) {
        List<String> l = new ArrayList<>(List.of("Event: " + event, "Privilege: call,all",
                "Channel: PJSIP/sipp-00000007", "ChannelState: 6", "ChannelStateDesc: Up", "CallerIDNum: +1555",
                "Uniqueid: " + uniqueId, "Linkedid: " + uniqueId, "Cause: " + cause));
        if (event.equals("Hangup")) l.add("Cause-txt: Normal Clearing");
        if (techCause != null) l.add("TechCause: " + techCause);
        return l.toArray(String[]::new);
    }

    @Test
    void onHangupFiresOnceOnTheClientsThreadWithTheFirstEventsCauseAndSipCode() throws Exception {
        connected();
        CopyOnWriteArrayList<HangupInfo> got = new CopyOnWriteArrayList<>();
        CopyOnWriteArrayList<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch second = new CountDownLatch(1);
        client.onHangup("1700000000.7", info -> {
            throw new IllegalStateException("a broken listener");
        });
        client.onHangup("1700000000.7", info -> {
            got.add(info);
            threads.add(Thread.currentThread().getName());
            second.countDown();
        });
        ami.event(hangupEvent("HangupRequest", "1700000000.7", 17, 486));
        ami.event(hangupEvent("Hangup", "1700000000.7", 16, null));
        assertTrue(second.await(5, TimeUnit.SECONDS), "the second listener ran despite the first one's exception");
        assertEquals(new HangupInfo("1700000000.7", "PJSIP/sipp-00000007", 17, "User busy", 486), got.get(0));
        assertTrue(threads.get(0).startsWith("ami-events-"), threads.toString());

        // a subscription made after the hangup fires at once with what was remembered
        CompletableFuture<HangupInfo> late = new CompletableFuture<>();
        client.onHangup("1700000000.7", late::complete);
        assertEquals(got.get(0), late.get(5, TimeUnit.SECONDS));
        assertEquals(1, got.size(), "once, even though Hangup followed HangupRequest");
        assertEquals(0, client.waitingSubscriptions());
    }

    @Test
    void aSoftHangupRequestWaitsForTheHangupWithItsRealCause() throws Exception {
        connected();
        CompletableFuture<HangupInfo> soft = new CompletableFuture<>();
        CompletableFuture<HangupInfo> hangup = new CompletableFuture<>();
        Subscription closed = client.onHangup("1.3", info -> { throw new AssertionError("closed, must not fire"); });
        client.onHangup("1.1", soft::complete);
        client.onHangup("1.2", hangup::complete);
        closed.close();
        ami.event(hangupEvent("SoftHangupRequest", "1.1", 32, null)); // 32: Asterisk's flag, not a cause
        ami.event(hangupEvent("Hangup", "1.2", 16, null));
        ami.event(hangupEvent("Hangup", "1.3", 16, null));
        assertEquals(new HangupInfo("1.2", "PJSIP/sipp-00000007", 16, "Normal Clearing", 0),
                hangup.get(5, TimeUnit.SECONDS));
        assertFalse(soft.isDone(), "the request alone says nothing about the cause");
        ami.event(hangupEvent("Hangup", "1.1", 21, null));
        assertEquals(new HangupInfo("1.1", "PJSIP/sipp-00000007", 21, "Normal Clearing", 0),
                soft.get(5, TimeUnit.SECONDS)); // hangupEvent() always writes this Cause-txt
        assertEquals(0, client.waitingSubscriptions());
    }
}
