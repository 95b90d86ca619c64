package io.twimlagi.agi;

import io.twimlagi.call.AnsweredLeg;
import io.twimlagi.call.Call;
import io.twimlagi.call.DialLegListener;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.sip.SipInvite;
import org.asteriskjava.fastagi.AgiScript;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol tests of the twiml-answered AGI session (Dial option U() on the leg that answered) against a fake
 * Asterisk over TCP: which leg it is, its Call-ID and 200 OK X- headers, and whether the leg is refused.
 */
class AnsweredLegProtocolTest {
    static final String SEP = InviteReader.SEP;
    static final String TOKEN = "0123456789abcdef01234567";
    static final String FIRST_READ = "GET FULL VARIABLE \"${MASTER_CHANNEL(TWIML_DIAL_LEGS)}" + SEP
            + "${CHANNEL(pjsip,call-id)}" + SEP + "${PJSIP_RESPONSE_HEADERS(X-)}\"";
    static final String REFUSE = "SET VARIABLE \"GOSUB_RESULT\" \"CONTINUE\"";
    /** Tells the caller's Dial that the leg was not bridged; sent just before {@link #REFUSE}. */
    static final String REFUSED_MARK = "SET VARIABLE \"MASTER_CHANNEL(TWIML_DIAL_REFUSED)\" \"1\"";

    /** A handler whose handle() must never run; answered() is the given function. */
    static Map<String, AgiScript> handler(CompletableFuture<String> handleCalled,
                                          BiFunction<Call, AnsweredLeg, Boolean> answered) {
        return AgiScripts.of((call, invite, channel) -> handleCalled.complete("handle() ran for " + channel),
                new DialLegListener() {
                    @Override
                    public boolean answered(Call callee, AnsweredLeg leg) {
                        return answered.apply(callee, leg);
                    }

                    @Override
                    public void created(String token, String dialed, String callId) {
                    }
                });
    }

    static FakeAsterisk answeredLeg(String channel, Function<String, String> replies) {
        return new FakeAsterisk(replies).env("network_script", "twiml-answered")
                .env("request", "agi://127.0.0.1:4573/twiml-answered").env("arg_1", TOKEN).env("channel", channel)
                .env("context", "twiml-dial-answered").env("extension", "s").env("priority", "1");
    }

    /** Asterisk 22's answers: two legs, the 200 OK had X-A, a malicious name and X-B. */
    static String replies(String cmd) {
        if (cmd.equals(FIRST_READ)) {
            return "200 result=1 (PJSIP/a-0001=callid1|PJSIP/b-0002=callid2|" + SEP + "callid2" + SEP
                    + "X-A,X-Bad)}${SHELL(id)},X-B)";
        }
        if (cmd.equals("GET FULL VARIABLE \"${PJSIP_RESPONSE_HEADER(read,X-A,1)}" + SEP
                + "${PJSIP_RESPONSE_HEADER(read,X-B,1)}\"")) {
            return "200 result=1 (1" + SEP + "two words)";
        }
        if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
        return "200 result=1";
    }

    @Test
    void refusedLegGetsGosubResultContinueAfterTheTwoReads() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<String> handle = new CompletableFuture<>();
        CompletableFuture<AnsweredLeg> seen = new CompletableFuture<>();
        AtomicReference<FastAgiServer> server = new AtomicReference<>();
        CompletableFuture<Integer> activeDuring = new CompletableFuture<>();
        CompletableFuture<Boolean> answeredDuring = new CompletableFuture<>();
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(handle, (callee, leg) -> {
            activeDuring.complete(handle.isDone() ? 1 : 0);
            answeredDuring.complete(callee.isAnswered());
            seen.complete(leg);
            return false;
        }))) {
            server.set(s);
            FakeAsterisk asterisk = answeredLeg("PJSIP/b-0002", AnsweredLegProtocolTest::replies);
            List<String> cmds = asterisk.run(addr);
            AnsweredLeg leg = seen.get(5, TimeUnit.SECONDS);
            assertEquals(TOKEN, leg.token());
            assertEquals(1, leg.index(), "PJSIP/b-0002 is the second leg");
            assertEquals("callid2", leg.sipCallId());
            assertEquals(Map.of("X-A", "1", "X-B", "two words"), leg.okHeaders());
            assertEquals(List.of("X-A", "X-B"), List.copyOf(leg.okHeaders().keySet()));
            assertEquals(List.of(FIRST_READ, "GET FULL VARIABLE \"${PJSIP_RESPONSE_HEADER(read,X-A,1)}" + SEP
                    + "${PJSIP_RESPONSE_HEADER(read,X-B,1)}\"", REFUSED_MARK, REFUSE), cmds);
            assertFalse(cmds.stream().anyMatch(c -> c.contains("SHELL") || c.contains("X-Bad")), cmds.toString());
            assertTrue(asterisk.closedByServer);
            assertEquals(0, activeDuring.get(5, TimeUnit.SECONDS), "an answered leg is not a call");
            assertTrue(answeredDuring.get(5, TimeUnit.SECONDS), "the callee is answered already");
            assertFalse(handle.isDone(), "handle() must not run for twiml-answered");
        }
    }

    @Test
    void connectedLegSendsNothingAfterTheReads() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<String> handle = new CompletableFuture<>();
        CompletableFuture<AnsweredLeg> seen = new CompletableFuture<>();
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(handle, (callee, leg) -> {
            seen.complete(leg);
            return true;
        }))) {
            FakeAsterisk asterisk = answeredLeg("PJSIP/a-0001", AnsweredLegProtocolTest::replies);
            List<String> cmds = asterisk.run(addr);
            assertEquals(0, seen.get(5, TimeUnit.SECONDS).index());
            assertEquals(2, cmds.size(), cmds.toString());
            assertFalse(cmds.stream().anyMatch(c -> c.startsWith("SET VARIABLE")), cmds.toString());
            assertTrue(asterisk.closedByServer);
            assertFalse(handle.isDone());
        }
    }

    @Test
    void withoutXHeadersOneRoundTripAndAnUnknownChannelHasNoIndex() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<AnsweredLeg> seen = new CompletableFuture<>();
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(new CompletableFuture<>(), (callee, leg) -> {
            seen.complete(leg);
            return true;
        }))) {
            List<String> cmds = answeredLeg("PJSIP/c-0003", cmd -> cmd.equals(FIRST_READ)
                    ? "200 result=1 (PJSIP/a-0001=callid1|PJSIP/b-0002=callid2|" + SEP + "callid3" + SEP + ")"
                    : "200 result=1").run(addr);
            AnsweredLeg leg = seen.get(5, TimeUnit.SECONDS);
            assertEquals(-1, leg.index());
            assertEquals("callid3", leg.sipCallId());
            assertTrue(leg.okHeaders().isEmpty());
            assertEquals(List.of(FIRST_READ), cmds);
        }
    }

    @Test
    void onlyTokenHeaderNamesAreReadAndNeverAnyOtherText() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<AnsweredLeg> seen = new CompletableFuture<>();
        String evil = "X-Bad)}${SHELL(id)},X-Ev il, X-Ok ,X-Q\"x,X-Semi;x";
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(new CompletableFuture<>(), (callee, leg) -> {
            seen.complete(leg);
            return false;
        }))) {
            List<String> cmds = answeredLeg("PJSIP/a-0001", cmd -> {
                if (cmd.equals(FIRST_READ)) {
                    return "200 result=1 (PJSIP/a-0001=callid1|" + SEP + "callid1" + SEP + evil + ")";
                }
                if (cmd.equals("GET FULL VARIABLE \"${PJSIP_RESPONSE_HEADER(read,X-Ok,1)}\"")) {
                    return "200 result=1 (fine)";
                }
                return "200 result=1";
            }).run(addr);
            assertEquals(Map.of("X-Ok", "fine"), seen.get(5, TimeUnit.SECONDS).okHeaders());
            assertEquals(4, cmds.size(), cmds.toString());
            for (String c : cmds.subList(1, cmds.size())) {
                assertFalse(c.contains("SHELL") || c.contains("Bad") || c.contains("Ev il") || c.contains("X-Q")
                        || c.contains("Semi"), c);
            }
            assertEquals(REFUSED_MARK, cmds.get(2));
            assertEquals(REFUSE, cmds.get(3));
        }
    }

    @Test
    void theScreeningRunsOnTheCalleesChannelBeforeTheAnswer() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(new CompletableFuture<>(), (callee, leg) -> {
            callee.answer(); // answered already: no ANSWER command
            callee.play("/var/lib/twiml-agi/tts/screen", "");
            return false;
        }))) {
            List<String> cmds = answeredLeg("PJSIP/b-0002", AnsweredLegProtocolTest::replies).run(addr);
            assertFalse(cmds.contains("ANSWER"), cmds.toString());
            int play = -1;
            for (int i = 0; i < cmds.size(); i++) if (cmds.get(i).startsWith("STREAM FILE")) play = i;
            assertEquals(2, play, cmds.toString());
            assertTrue(cmds.get(play).contains("/var/lib/twiml-agi/tts/screen"), cmds.get(play));
            assertEquals(REFUSE, cmds.get(cmds.size() - 1));
        }
    }

    @Test
    void aCalleeThatHungUpIsStillMarkedRefused() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<Boolean> goneSeen = new CompletableFuture<>();
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(new CompletableFuture<>(), (callee, leg) -> {
            try {
                callee.play("/var/lib/twiml-agi/tts/screen", "");
            } catch (CallGoneException e) {
                goneSeen.complete(callee.isGone());
            }
            return false;
        }))) {
            FakeAsterisk asterisk = answeredLeg("PJSIP/b-0002", cmd -> {
                if (cmd.startsWith("STREAM FILE")) return "200 result=-1 endpos=100\nHANGUP";
                if (cmd.startsWith("CHANNEL STATUS")) return "511 Command Not Permitted on a dead channel";
                return replies(cmd);
            });
            List<String> cmds = asterisk.run(addr);
            assertTrue(goneSeen.get(5, TimeUnit.SECONDS));
            // still marked refused (SET VARIABLE works on a dead channel): otherwise app_dial would go on to the
            // bridge and count the leg as connected, answering an answerOnBridge caller
            assertEquals(List.of(REFUSED_MARK, REFUSE), cmds.subList(cmds.size() - 2, cmds.size()), cmds.toString());
        }
    }

    @Test
    void theNormalScriptStillGoesToHandle() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<String> handle = new CompletableFuture<>();
        CompletableFuture<AnsweredLeg> answered = new CompletableFuture<>();
        try (FastAgiServer s = new FastAgiServer(addr, 10, AgiScripts.of((call, invite, channel) -> {
            handle.complete("twiml");
            call.reject(486);
        }, new DialLegListener() {
            @Override
            public boolean answered(Call callee, AnsweredLeg leg) {
                answered.complete(leg);
                return true;
            }

            @Override
            public void created(String token, String dialed, String callId) {
            }
        }))) {
            new FakeAsterisk(FastAgiServerTest::asterisk).env("arg_1", TOKEN).run(addr);
            assertEquals("twiml", handle.get(5, TimeUnit.SECONDS));
            assertFalse(answered.isDone());
        }
    }

    @Test
    void aValueContainingTheSeparatorIsReadAgainFieldByFieldNotShifted() throws Exception {
        // a callee's X-A value carries our separator: the joined answer splits into 3, not 2
        Function<String, String> replies = cmd -> {
            if (cmd.equals("GET FULL VARIABLE \"${PJSIP_RESPONSE_HEADER(read,X-A,1)}" + SEP
                    + "${PJSIP_RESPONSE_HEADER(read,X-Role,1)}\"")) {
                return "200 result=1 (harmless" + SEP + "admin" + SEP + "user)";
            }
            if (cmd.equals("GET FULL VARIABLE \"${PJSIP_RESPONSE_HEADER(read,X-A,1)}\"")) {
                return "200 result=1 (harmless" + SEP + "admin)";
            }
            if (cmd.equals("GET FULL VARIABLE \"${PJSIP_RESPONSE_HEADER(read,X-Role,1)}\"")) {
                return "200 result=1 (user)";
            }
            if (cmd.equals(FIRST_READ)) {
                return "200 result=1 (PJSIP/a-0001=callid1|" + SEP + "callid1" + SEP + "X-A,X-Role)";
            }
            return "200 result=1";
        };
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<AnsweredLeg> seen = new CompletableFuture<>();
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(new CompletableFuture<>(), (callee, leg) -> {
            seen.complete(leg);
            return true;
        }))) {
            answeredLeg("PJSIP/a-0001", replies).run(addr);
            AnsweredLeg leg = seen.get(5, TimeUnit.SECONDS);
            assertEquals("user", leg.okHeaders().get("X-Role"), "never another header's text: " + leg.okHeaders());
            assertEquals("harmless" + SEP + "admin", leg.okHeaders().get("X-A"));
            assertEquals(1, leg.legCount());
        }
    }

    @Test
    void aHandlerThatFailsLeavesTheLegUnconnected() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        try (FastAgiServer s = new FastAgiServer(addr, 10, handler(new CompletableFuture<>(), (callee, leg) -> {
            throw new IllegalStateException("boom");
        }))) {
            List<String> cmds = answeredLeg("PJSIP/b-0002", AnsweredLegProtocolTest::replies).run(addr);
            assertEquals(REFUSE, cmds.get(cmds.size() - 1), "as when the server is unreachable: " + cmds);
        }
    }

    @Test
    void aCreatedLegReportsItsCallIdAndTargetInOneReadAndIsNotACall() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<String> handle = new CompletableFuture<>();
        CompletableFuture<List<String>> created = new CompletableFuture<>();
        try (FastAgiServer s = new FastAgiServer(addr, 10, AgiScripts.of(
                (call, invite, channel) -> handle.complete("handle() ran for " + channel), new DialLegListener() {
                    @Override
                    public boolean answered(Call callee, AnsweredLeg leg) {
                        return true;
                    }

                    @Override
                    public void created(String token, String dialed, String callId) {
                        created.complete(List.of(token, dialed, callId));
                    }
                }))) {
            String read = "GET FULL VARIABLE \"${CHANNEL(pjsip,call-id)}" + SEP + "${DIALEDPEERNUMBER}\"";
            FakeAsterisk asterisk = new FakeAsterisk(cmd -> cmd.equals(read)
                    ? "200 result=1 (cid-7" + SEP + "trunk/sip:bob@127.0.0.1:5072)" : "200 result=1")
                    .env("network_script", "twiml-leg").env("request", "agi://127.0.0.1:4573/twiml-leg")
                    .env("arg_1", TOKEN).env("channel", "PJSIP/trunk-0007").env("context", "twiml-dial-leg")
                    .env("extension", "watch").env("priority", "2");
            List<String> cmds = asterisk.run(addr);
            assertEquals(List.of(TOKEN, "trunk/sip:bob@127.0.0.1:5072", "cid-7"), created.get(5, TimeUnit.SECONDS));
            assertEquals(List.of(read), cmds, "one read, nothing else: the INVITE waits for this session");
            assertTrue(asterisk.closedByServer);
            assertFalse(handle.isDone(), "handle() must not run for twiml-leg");
        }
    }
}
