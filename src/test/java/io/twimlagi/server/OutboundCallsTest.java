package io.twimlagi.server;

import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.config.Config;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.ToneTts;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.CallStatus;
import io.twimlagi.rest.ApiError;
import io.twimlagi.rest.CallUpdate;
import io.twimlagi.rest.OutboundRequest;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REST-created calls between the REST backend and Asterisk, with an Originator that stands for the Manager
 * Interface and a {@link FakeCall} as the call's Dial half.
 */
class OutboundCallsTest {
    @TempDir
    Path dir;
    MockWebServer app;
    final ToneTts tts = new ToneTts();
    Services services;
    Config config;
    OutboundCalls outbound;
    RestCalls rest;
    /** What the fake Manager Interface does when asked to originate a call (on the REST request's thread). */
    Consumer<String> onOriginate = sid -> { };
    /** How the Originate ends: true answered, false not (incomplete: Asterisk is still on it). */
    final CompletableFuture<Boolean> originated = new CompletableFuture<>();
    /** The channel variables of the last Originate. */
    Map<String, String> originatedWith;
    /** The calls the fake Manager Interface was asked to cancel. */
    final List<String> canceled = new ArrayList<>();
    /** What else happens while a cancel is on its way (after the call was marked canceled). */
    Consumer<String> onCancel = sid -> { };
    /** The calls whose cancel leftovers (the dialplan's flag) the fake still holds. */
    final Set<String> flagged = new HashSet<>();
    /** The checks for a half that never reported, on a clock moved by hand ({@link OutboundCalls#REPORT_GRACE}). */
    final ManualLater later = new ManualLater();

    /** A clock that moves only when told, and the checks due on it. */
    static final class ManualLater implements Later {
        private long now;
        private final List<Map.Entry<Long, Runnable>> due = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void after(Duration delay, Runnable check) {
            due.add(Map.entry(now + delay.toNanos(), check));
        }

        int pending() {
            return due.size();
        }

        /** Moves the clock by {@code by}, running the checks due by then, earliest first. */
        void advance(Duration by) {
            long until = now + by.toNanos();
            while (true) {
                Map.Entry<Long, Runnable> next = due.stream().filter(e -> e.getKey() <= until)
                        .min(Map.Entry.comparingByKey()).orElse(null);
                if (next == null) break;
                due.remove(next);
                now = next.getKey();
                next.getValue().run();
            }
            now = until;
        }

        /** Runs every check, however far ahead. */
        void runAll() {
            advance(Duration.ofDays(1));
        }
    }

    final Originator originator = new Originator() {
        @Override
        public boolean available() {
            return true;
        }

        @Override
        public CompletableFuture<Boolean> originate(String callSid, Duration answerWithin,
                                                    Map<String, String> variables) {
            originatedWith = variables;
            onOriginate.accept(callSid);
            return originated;
        }

        @Override
        public boolean refused(Throwable failure) {
            return failure.getMessage().contains("refused by Asterisk");
        }

        @Override
        public void cancel(String callSid) {
            canceled.add(callSid);
            onCancel.accept(callSid);
            flagged.add(callSid); // no channel to hang up: the flag for the dialplan
        }

        @Override
        public void ended(String callSid) {
            flagged.remove(callSid);
        }

        @Override
        public boolean hangup(String channel) {
            return true;
        }
    };

    @BeforeEach
    void start() throws Exception {
        app = new MockWebServer();
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(204);
            }
        });
        app.start();
        Path conf = dir.resolve("twiml-agi.conf");
        Files.writeString(conf, """
                [general]
                account_sid = %s
                auth_token = %s
                voice_url = http://127.0.0.1:9/voice
                media_dir = %s
                sip_capture = 127.0.0.1:%d
                """.formatted(TestServices.ACCOUNT, TestServices.TOKEN, dir.resolve("media"), freeUdpPort()));
        config = ConfigLoader.load(conf);
        services = Services.build(config.general(), tts);
        outbound = new OutboundCalls(services, () -> config, originator, later);
        rest = new RestCalls(services, outbound, originator);
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        services.close();
        app.shutdown();
    }

    OutboundRequest request(String to) {
        return new OutboundRequest(to, "+15550001234", "http://127.0.0.1:9/voice", HttpMethod.POST, null, null,
                HttpMethod.POST, app.url("/status").toString(), HttpMethod.POST,
                Set.of("initiated", "ringing", "answered", "completed"), 20, null, null, null, 14400, null);
    }

    CallRecord stored(String sid) {
        return services.records().fetchCall(sid).orElseThrow();
    }

    @Test
    void theCreatedCallIsAnsweredQueuedEvenWhenItsDialHalfIsAlreadyRinging() {
        onOriginate = sid -> assertEquals(OutboundCall.State.DIALING, outbound.get(sid).state());
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        assertEquals(CallStatus.QUEUED, created.status(), "Twilio answers a new call queued");
        assertNull(created.startTime());
        assertEquals(CallStatus.RINGING, stored(created.sid()).status(), "while Asterisk already dials it");
    }

    @Test
    void anOriginateThatEndsWithoutItsDialHalfEverReportingFailsTheCall() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.complete(false); // Asterisk's OriginateResponse: failure, and no report (e.g. its AGI unreachable)
        assertEquals(CallStatus.RINGING, stored(created.sid()).status(), "its report may still be on its way");
        assertEquals(1, later.pending());
        later.advance(OutboundCalls.REPORT_GRACE);
        assertEquals(CallStatus.FAILED, stored(created.sid()).status());
        assertNull(outbound.get(created.sid()), "no longer a call in progress");
    }

    @Test
    void anOriginateLostWithTheManagerInterfaceFailsTheCallToo() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.completeExceptionally(new IllegalStateException("AMI connection lost")); // Asterisk restarts
        later.runAll();
        assertEquals(CallStatus.FAILED, stored(created.sid()).status());
    }

    /** Asterisk refused the Originate (no channel was made, nothing will report): failed at once. */
    @Test
    void anOriginateAsteriskRefusedFailsTheCallAtOnce() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.completeExceptionally(new IllegalStateException("Originate of Local/x refused by Asterisk: "
                + "Extension does not exist."));
        assertEquals(0, later.pending(), "no wait for a report");
        assertEquals(CallStatus.FAILED, stored(created.sid()).status());
    }

    /** The Originate's end and the Dial half's report both follow its hangup: either may come first. */
    @Test
    void aReportThatArrivesAfterTheOriginateEndedDecidesTheStatus() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.complete(false);
        outbound.dialed(created.sid(), dial -> new DialResult(DialOutcome.BUSY, 0, 486, true, "leg@127.0.0.1",
                false, 0, List.of(486)), "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        later.runAll();
        assertEquals(CallStatus.BUSY, stored(created.sid()).status());
        assertEquals(486, stored(created.sid()).sipResponseCode());
    }

    @Test
    void anAnsweredOriginateLeavesTheCallToItsTwimlHalf() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.complete(true);
        OutboundCall call = outbound.get(created.sid());
        assertTrue(call.answered(new CallSession(services, new FakeCall().alreadyAnswered(), call.identity(),
                call::statusCallbacks, CallLog.NONE)));
        later.runAll();
        assertEquals(CallStatus.IN_PROGRESS, stored(created.sid()).status(), "its TwiML half ends it");
    }

    /** Answered, but neither the TwiML half's AGI nor the Dial half's report reached the server (agi_max_calls). */
    @Test
    void anAnsweredCallWhoseHalvesNeverReachTheServerFails() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.complete(true);
        later.advance(OutboundCalls.REPORT_GRACE);
        assertEquals(CallStatus.FAILED, stored(created.sid()).status());
        assertNull(outbound.get(created.sid()), "no longer a call in progress (a shutdown would wait for it)");
    }

    /** A callee that hangs up at once: the Dial half's report may overtake the TwiML half's AGI. */
    @Test
    void aBridgedReportBeforeTheTwimlHalfArrivesDoesNotFailTheCall() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        outbound.dialed(created.sid(), dial -> new DialResult(DialOutcome.ANSWERED, 0, 200, true, "leg@127.0.0.1",
                false, 0, List.of(200)), "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        OutboundCall call = outbound.get(created.sid());
        assertNotNull(call, "still waiting for its TwiML half");
        assertTrue(call.answered(new CallSession(services, new FakeCall().alreadyAnswered(), call.identity(),
                call::statusCallbacks, CallLog.NONE)));
        later.runAll();
        assertEquals(CallStatus.IN_PROGRESS, stored(created.sid()).status());
    }

    /**
     * The Manager Interface dropped while the callee rang, Asterisk stayed up: the call may still ring until its
     * Originate's own timeout (Timeout 20 s + 15 s), so it is failed only that long after the Originate went out,
     * plus the grace for the Dial half's report.
     */
    @Test
    void anOriginateLostWithTheManagerInterfaceIsFailedOnlyAfterItsOwnTimeoutAndTheGrace() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        later.advance(Duration.ofSeconds(5));
        originated.completeExceptionally(new IllegalStateException("Originate of Local/x: AMI connection lost "
                + "before Asterisk's OriginateResponse"));
        later.advance(Duration.ofSeconds(39)); // 44 s after the Originate went out
        assertEquals(CallStatus.RINGING, stored(created.sid()).status(), "it may still ring");
        later.advance(Duration.ofSeconds(1)); // 35 s + REPORT_GRACE
        assertEquals(CallStatus.FAILED, stored(created.sid()).status(), "nobody reported: failed");
        assertNull(outbound.get(created.sid()));
    }

    /** After the Manager Interface dropped, the Dial half's report (over FastAGI) still decides how it ended. */
    @Test
    void aDialReportAfterTheManagerInterfaceWasLostDecidesTheStatus() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        later.advance(Duration.ofSeconds(5));
        originated.completeExceptionally(new IllegalStateException("Originate of Local/x: AMI connection lost "
                + "before Asterisk's OriginateResponse"));
        later.advance(Duration.ofSeconds(20)); // the callee still rings, past REPORT_GRACE
        outbound.dialed(created.sid(), dial -> new DialResult(DialOutcome.NO_ANSWER, 0, 487, true, "leg@127.0.0.1",
                false, 0, List.of(487)), "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        later.runAll();
        assertEquals(CallStatus.NO_ANSWER, stored(created.sid()).status());
        assertEquals(487, stored(created.sid()).sipResponseCode());
    }

    /** A REST call whose TwiML says {@code text}. */
    OutboundRequest saying(String text) throws Exception {
        OutboundRequest r = request("sip:bob@127.0.0.1:5090");
        return new OutboundRequest(r.to(), r.from(), null, HttpMethod.POST, TwimlParser.parse(
                ("<Response><Say>" + text + "</Say></Response>").getBytes(StandardCharsets.UTF_8)), null,
                HttpMethod.POST, r.statusCallback(), r.statusCallbackMethod(), r.statusCallbackEvents(),
                r.timeoutSeconds(), null, null, null, r.timeLimitSeconds(), null);
    }

    /**
     * Status=canceled once Asterisk reported the answer, before the TwiML half's AGI arrived: refused as for any
     * answered call, nothing hung up; the call then runs when its TwiML half comes.
     */
    void assertCancelRefusedAfterTheAnswer(Consumer<String> answerReported) throws Exception {
        CallRecord created = rest.create(saying("answered"));
        answerReported.accept(created.sid());
        assertNull(outbound.get(created.sid()).session(), "its TwiML half is not there yet");
        ApiError refused = assertThrows(ApiError.class, () -> rest.update(created.sid(),
                new CallUpdate(null, "canceled", null, null)));
        assertEquals(400, refused.status());
        assertEquals(21220, refused.code());
        assertTrue(refused.getMessage().contains("Call is in progress"), refused.getMessage());
        assertEquals(List.of(), canceled, "the answered call is not hung up");

        outbound.answered(created.sid(), Map.of(), new FakeCall().alreadyAnswered(),
                "Local/" + created.sid() + "@twiml-outbound-dial-0001;1");
        assertEquals(List.of("answered"), tts.spoken, "its TwiML ran");
        assertEquals(CallStatus.COMPLETED, stored(created.sid()).status());
        assertEquals(List.of(), canceled);
    }

    @Test
    void aCancelAfterTheOriginateReportedTheAnswerIsRefused() throws Exception {
        assertCancelRefusedAfterTheAnswer(sid -> originated.complete(true));
    }

    @Test
    void aCancelAfterTheDialHalfReportedTheAnswerIsRefused() throws Exception {
        assertCancelRefusedAfterTheAnswer(sid -> outbound.dialed(sid, dial -> new DialResult(DialOutcome.ANSWERED,
                0, 200, true, "leg@127.0.0.1", false, 0, List.of(200)),
                "Local/" + sid + "@twiml-outbound-dial-0001;2"));
    }

    /** Status=completed in the same moment ends the answered call (Twilio hangs up a call in progress). */
    @Test
    void statusCompletedAfterTheAnswerBeforeTheTwimlHalfHangsItUp() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.complete(true);
        assertTrue(rest.update(created.sid(), new CallUpdate(null, "completed", null, null)).isPresent());
        assertEquals(List.of(created.sid()), canceled, "its dialing half (bridged to the callee) is hung up");
    }

    /**
     * Status=completed once the answer was reported: the hangup ends the bridge (the Dial half reports it) before
     * the TwiML half's AGI ran, so that half never comes: the call ends completed, as the API asked, not failed.
     */
    @Test
    void statusCompletedAfterTheAnswerEndsItCompletedWhenItsTwimlHalfNeverComes() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.complete(true);
        rest.update(created.sid(), new CallUpdate(null, "completed", null, null));
        outbound.dialed(created.sid(), dial -> new DialResult(DialOutcome.ANSWERED, 0, 200, true, "leg@127.0.0.1",
                false, 0, List.of(200)), "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        later.runAll();
        assertEquals(CallStatus.COMPLETED, stored(created.sid()).status());
        assertEquals(200, stored(created.sid()).sipResponseCode());
        assertNull(outbound.get(created.sid()));
    }

    /**
     * Status=canceled accepted while the callee rang, the callee's 200 OK crossing it: Asterisk reports the answer,
     * the hangup comes before the TwiML half's AGI ran. The call ends canceled, as the API answered, not failed.
     */
    @Test
    void aCancelCrossingTheAnswerEndsItCanceledWhenItsTwimlHalfNeverComes() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        assertEquals(OutboundCalls.Cancel.CANCELED, outbound.cancel(created.sid(), false));
        originated.complete(true);
        later.runAll();
        assertEquals(CallStatus.CANCELED, stored(created.sid()).status());
        assertNull(outbound.get(created.sid()));
    }

    /** A canceled call whose Dial half never reports (its channel was hung up before its dialplan ran). */
    @Test
    void aCanceledCallThatNobodyReportsIsCanceledNotFailed() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        assertEquals(OutboundCalls.Cancel.CANCELED, outbound.cancel(created.sid(), false));
        originated.complete(false);
        later.runAll();
        assertEquals(CallStatus.CANCELED, stored(created.sid()).status());
    }

    /** The Dial half's report ends the call while the cancel is on its way: the cancel's flag is cleared too. */
    @Test
    void aCancelThatCrossesTheCallsEndLeavesNoFlagBehind() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        onCancel = sid -> outbound.dialed(sid, dial -> new DialResult(DialOutcome.BUSY, 0, 486, true,
                "leg@127.0.0.1", false, 0, List.of(486)), "Local/" + sid + "@twiml-outbound-dial-0001;2");
        assertEquals(OutboundCalls.Cancel.CANCELED, outbound.cancel(created.sid(), false));
        assertEquals(Set.of(), flagged, "TWIML_CANCELED_<sid> would stay in Asterisk's globals");
    }

    /** Between the callee's answer and the start of its walk, a live update is not refused: it is the TwiML run. */
    @Test
    void anUpdateJustAfterTheAnswerRedirectsTheCallsFirstDocument() throws Exception {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        OutboundCall call = outbound.get(created.sid());
        FakeCall half = new FakeCall().alreadyAnswered();
        CallSession session = new CallSession(services, half, call.identity(), call::statusCallbacks, CallLog.NONE);
        assertTrue(call.answered(session));

        Outcome updated = new Outcome.Inline(TwimlParser.parse("<Response><Say>updated</Say></Response>"
                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(rest.update(created.sid(), new CallUpdate(updated, null, null, HttpMethod.POST)).isPresent());
        session.runAnswered("Local/" + created.sid() + "@twiml-outbound-dial-0001;1", call.start(), null, null);
        assertEquals(List.of("updated"), tts.spoken, "the update's TwiML ran, not the request's URL");
    }

    /** Without HEP capture, a callee's 180 is known only from the Dial's result: still reported as ringing. */
    @Test
    void aCalleeThatRangAndNeverAnsweredIsReportedRingingThenNoAnswer() throws Exception {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        DialResult rang = new DialResult(DialOutcome.NO_ANSWER, 0, 180, true, "leg@127.0.0.1", false, 0,
                List.of(180), false);
        outbound.dialed(created.sid(), dial -> rang, "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        List<Map<String, String>> callbacks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordedRequest r = app.takeRequest(5, TimeUnit.SECONDS);
            assertNotNull(r, "callback " + i);
            callbacks.add(CallSessionTest.form(r));
        }
        callbacks.sort(Comparator.comparingInt(p -> Integer.parseInt(p.get("SequenceNumber"))));
        assertEquals(List.of("initiated", "ringing", "no-answer"),
                callbacks.stream().map(p -> p.get("CallStatus")).toList());
        assertEquals("487", callbacks.get(2).get("SipResponseCode"));
        CallRecord done = stored(created.sid());
        assertEquals(CallStatus.NO_ANSWER, done.status());
        assertEquals(487, done.sipResponseCode());
    }

    @Test
    void aCallThatEndsWithoutRingingLeavesNoRingingWatcherBehind() throws Exception {
        SipCapture capture = services.capture();
        assertNotNull(capture, "the SIP capture listens");
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5099"));
        assertTrue(outbound.legCreated(created.sid(), "leg-call-id-1@127.0.0.1"));
        assertEquals(1, capture.watchedForRinging(), "its leg is watched for a 180");
        // ends before any 180 (as a busy or failed leg does)
        assertEquals(OutboundCalls.Cancel.CANCELED, outbound.cancel(created.sid(), false));
        assertEquals(List.of(created.sid()), canceled, "its dialing half is hung up");
        outbound.dialed(created.sid(), dial -> new DialResult(DialOutcome.CANCELED, 0, 0, true, null, false, 0,
                List.of(0)), "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        assertEquals(0, capture.watchedForRinging(), "nothing left behind by a call that is over");
        assertEquals(CallStatus.CANCELED, stored(created.sid()).status());
    }

    /**
     * A cancel that stops the dialing half before its Dial starts (or finds it just gone) leaves no DIALSTATUS:
     * still canceled, as asked, not failed.
     */
    @Test
    void aCancelReportedWithoutADialStatusIsCanceled() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        assertEquals(OutboundCalls.Cancel.CANCELED, outbound.cancel(created.sid(), false));
        outbound.dialed(created.sid(), dial -> new DialResult(DialOutcome.UNAVAILABLE, 0, 0, true, null, false),
                "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        assertEquals(CallStatus.CANCELED, stored(created.sid()).status());
        assertEquals(OutboundCalls.Cancel.OVER, outbound.cancel(created.sid(), false), "over: nothing to cancel");
    }

    /** Everything the dialing half's dialplan Dials with travels on the Originate, the Dial's request too. */
    @Test
    void theOriginateCarriesTheDialAndItsReportReadsTheSameRequest() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090?X-Campaign=summer&X-Odd=a%2Cb%29c%24%7BSHELL(id)%7D"));
        Map<String, String> v = originatedWith;
        assertEquals(created.sid(), v.get("TWIML_CALL_SID"));
        assertTrue(v.get("TWIML_DIAL").startsWith("PJSIP/"), v.toString());
        assertEquals("PJSIP/trunk/sip:bob@127.0.0.1:5090,20,gb(twiml-dial-leg^s^1)L(14400000)", v.get("TWIML_DIAL"),
                "Timeout, the pre-dial handler (the capture has heard nothing yet: not live), TimeLimit");
        assertEquals("+15550001234", v.get("TWIML_CALLER_ID"));
        assertEquals("2", v.get("TWIML_HEADERS"));
        assertEquals("X-Campaign", v.get("TWIML_HEADER_NAME_1"));
        assertEquals("summer", v.get("TWIML_HEADER_1"));
        assertEquals("X-Odd", v.get("TWIML_HEADER_NAME_2"));
        assertEquals("a,b)c${SHELL(id)}", v.get("TWIML_HEADER_2"), "the value as text (Set takes it as it is)");
        List<DialRequest> read = new ArrayList<>();
        outbound.dialed(created.sid(), dial -> {
            read.add(dial);
            return new DialResult(DialOutcome.NO_ANSWER, 0, 487, true, null, false, 0, List.of(487));
        }, "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        assertEquals(1, read.size());
        assertEquals(Duration.ofSeconds(20), read.get(0).timeout());
        assertEquals("+15550001234", read.get(0).callerId());
        assertEquals(CallStatus.NO_ANSWER, stored(created.sid()).status());
    }

    /** A URI whose headers cannot travel on one Originate is refused before any call exists, not lost later. */
    @Test
    void aToThatAnOriginateCannotCarryIsRefusedWith400() {
        StringBuilder to = new StringBuilder("sip:bob@127.0.0.1:5090?");
        for (int i = 0; i < 120; i++) to.append(i == 0 ? "" : "&").append("X-H").append(i).append("=1");
        OutboundCalls strict = new OutboundCalls(services, () -> config, new Originator() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public void check(Map<String, String> variables) {
                AmiOriginator.originateOf("CA" + "0".repeat(32), Duration.ofSeconds(1), variables);
            }

            @Override
            public CompletableFuture<Boolean> originate(String callSid, Duration answerWithin,
                                                        Map<String, String> variables) {
                throw new AssertionError("never originated");
            }

            @Override
            public void cancel(String callSid) {
            }

            @Override
            public boolean hangup(String channel) {
                return false;
            }
        }, later);
        OutboundCalls.Refused refused = assertThrows(OutboundCalls.Refused.class,
                () -> strict.create(request(to.toString())));
        assertEquals(400, refused.status);
        assertEquals(21211, refused.code);
        assertTrue(refused.getMessage().contains("variables"), refused.getMessage());
        assertEquals(0, strict.inProgress(), "no call exists");
    }

    /** The CLI's {@code twiml-outbound?Url=file:...} reads no file outside file_root (here: none configured). */
    @Test
    void anOperatorCallToAFileOutsideFileRootIsHungUpWithoutRunningIt() throws Exception {
        Path outside = dir.resolve("elsewhere/voice.xml");
        Files.createDirectories(outside.getParent());
        Files.writeString(outside, "<Response><Say>secret</Say></Response>");
        FakeCall half = new FakeCall().alreadyAnswered();
        outbound.answered("", Map.of("Url", outside.toUri().toString()), half, "PJSIP/alice-00000001");
        assertEquals(List.of("hangup"), half.events, "hung up, nothing played");
        assertTrue(tts.spoken.isEmpty());
    }

    @Test
    void anOperatorCallToAFileBelowFileRootRunsIt() throws Exception {
        Path root = dir.resolve("twiml");
        Files.createDirectories(root);
        Files.writeString(root.resolve("voice.xml"), "<Response><Say>hello operator</Say></Response>");
        Path conf = dir.resolve("with-root.conf");
        Files.writeString(conf, """
                [general]
                account_sid = %s
                auth_token = %s
                voice_url = http://127.0.0.1:9/voice
                file_root = %s
                media_dir = %s
                """.formatted(TestServices.ACCOUNT, TestServices.TOKEN, root, dir.resolve("media")));
        Config withRoot = ConfigLoader.load(conf);
        OutboundCalls cli = new OutboundCalls(services, () -> withRoot, originator);
        FakeCall half = new FakeCall().alreadyAnswered();
        cli.answered("", Map.of("Url", root.resolve("voice.xml").toUri().toString()), half, "PJSIP/alice-00000002");
        assertEquals(List.of("hello operator"), tts.spoken);
    }
}
