package io.twimlagi.agi;

import io.twimlagi.call.AnsweredLeg;
import io.twimlagi.call.Call;
import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialLegListener;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.sip.SipInvite;
import org.asteriskjava.fastagi.AgiScript;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol tests: our FastAGI side against a fake Asterisk speaking the real wire protocol over TCP. */
class FastAgiServerTest {
    static final String SEP = InviteReader.SEP;
    /** Dial legs that never call back. */
    static final DialLegListener NO_LEGS = new DialLegListener() {
        @Override
        public boolean answered(Call callee, AnsweredLeg leg) {
            throw new AssertionError("no Dial leg expected");
        }

        @Override
        public void created(String token, String dialed, String callId) {
            throw new AssertionError("no Dial leg expected");
        }
    };

    /** The server's scripts with this call handler. */
    static Map<String, AgiScript> scripts(CallHandler calls) {
        return AgiScripts.of(calls, NO_LEGS);
    }

    static InetSocketAddress freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
    }

    /**
     * The reply to the one INVITE read: the given fields, the endpoint ({@code sipp}), then header values by position
     * (8 slots).
     */
    static String inviteReply(String xNames, String uui, String... xValues) {
        StringBuilder b = new StringBuilder("200 result=1 (sip:+15551234567@pbx.example.com:5060" + SEP
                + "\\\"Alice\\\" <sip:alice@client.example.com:5080>" + SEP + "abc123@127.0.0.1" + SEP
                + "127.0.0.1:5080" + SEP + xNames + SEP + uui + SEP + "sipp");
        for (int i = 0; i < InviteReader.PREFETCH; i++) b.append(SEP).append(i < xValues.length ? xValues[i] : "");
        return b.append(')').toString();
    }

    /** Replies like Asterisk 22 does for the INVITE read, then per command. */
    static String asterisk(String cmd) {
        if (cmd.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,request_uri)}")) {
            return inviteReply("X-Customer-Id,X-Campaign,X-Bad)}${SHELL(id)}", "", "42", "spring (sale)", "x");
        }
        if (cmd.startsWith("EXEC \"PJSIPHangup\"")) return "200 result=-1\nHANGUP";
        if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
        return "200 result=0";
    }

    @Test
    void anInviteWithHundredsOfXHeadersKeepsTheFirstHundredReadInChunksThatFitALine() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 300; i++) names.add("X-H" + i);
        Pattern nth = Pattern.compile("\\$\\{PJSIP_HEADER\\(read,X-\\*,(\\d+)\\)}");
        InetSocketAddress addr = freePort();
        CompletableFuture<SipInvite> seen = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            seen.complete(invite);
            call.reject(486);
        }))) {
            List<String> cmds = new FakeAsterisk(cmd -> {
                if (FakeAsterisk.isInviteRead(cmd)) {
                    return inviteReply(String.join(",", names), "", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8");
                }
                if (cmd.startsWith("GET FULL VARIABLE")) { // one value per ${PJSIP_HEADER(read,X-*,n)}: "vn"
                    Matcher m = nth.matcher(cmd);
                    List<String> values = new ArrayList<>();
                    while (m.find()) values.add("v" + m.group(1));
                    return "200 result=1 (" + String.join(SEP, values) + ")";
                }
                return asterisk(cmd);
            }).run(addr);
            SipInvite invite = seen.get(5, TimeUnit.SECONDS);
            assertEquals(InviteReader.MAX_X_HEADERS, invite.xHeaders().size());
            assertEquals("v100", invite.xHeaders().get("X-H100"));
            assertEquals("v9", invite.xHeaders().get("X-H9"));
            assertTrue(cmds.stream().allMatch(c -> c.getBytes(StandardCharsets.UTF_8).length < 2048), "short reads");
            assertEquals("EXEC \"PJSIPHangup\" \"486\"", cmds.get(cmds.size() - 1), "the call ran, not a 503");
        }
    }

    @Test
    void readsTheInviteInTwoRoundTripsAndRejectsWithoutATrailingCommand() throws Exception {
        InetSocketAddress addr = freePort();
        CompletableFuture<SipInvite> seen = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            seen.complete(invite);
            call.reject(486);
        }))) {
            FakeAsterisk asterisk = new FakeAsterisk(FastAgiServerTest::asterisk);
            List<String> cmds = asterisk.run(addr);
            SipInvite invite = seen.get(5, TimeUnit.SECONDS);
            assertEquals("sip:+15551234567@pbx.example.com", invite.to());
            assertEquals("sip:alice@client.example.com", invite.from());
            assertEquals("pbx.example.com", invite.domain());
            assertEquals("abc123@127.0.0.1", invite.callId());
            assertEquals("127.0.0.1", invite.sourceIp());
            assertEquals("sipp", invite.endpoint());
            assertEquals(List.of("X-Customer-Id", "X-Campaign"), List.copyOf(invite.xHeaders().keySet()));
            assertEquals("spring (sale)", invite.xHeaders().get("X-Campaign"));
            // the malformed header name never entered an expression
            assertFalse(cmds.stream().anyMatch(c -> c.contains("SHELL")), cmds.toString());
            assertEquals(2, cmds.size(), "the INVITE in one round trip: " + cmds);
            assertEquals("EXEC \"PJSIPHangup\" \"486\"", cmds.get(1));
            assertTrue(asterisk.closedByServer);
        }
    }

    @Test
    void moreThanEightXHeadersAndUserToUserCostOneMoreRoundTripEach() throws Exception {
        InetSocketAddress addr = freePort();
        CompletableFuture<SipInvite> seen = new CompletableFuture<>();
        String names = "X-1,X-2,X-3,X-4,X-5,X-6,X-7,X-8,X-9,X-10";
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            seen.complete(invite);
            call.hangup();
        }))) {
            List<String> cmds = new FakeAsterisk(cmd -> {
                if (cmd.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,request_uri)}")) {
                    return inviteReply(names, "User-to-User", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8");
                }
                if (cmd.equals("GET FULL VARIABLE \"${PJSIP_HEADER(read,X-*,9)}" + SEP + "${PJSIP_HEADER(read,X-*,10)}\"")) {
                    return "200 result=1 (v9" + SEP + "v10)";
                }
                if (cmd.equals("GET FULL VARIABLE \"${PJSIP_HEADER(read,User-to-User)}\"")) {
                    return "200 result=1 (123;encoding=hex)";
                }
                return "200 result=0";
            }).run(addr);
            SipInvite invite = seen.get(5, TimeUnit.SECONDS);
            assertEquals(11, invite.xHeaders().size());
            assertEquals("v10", invite.xHeaders().get("X-10"));
            assertEquals("123;encoding=hex", invite.xHeaders().get("User-to-User"));
            assertEquals(4, cmds.size(), cmds.toString()); // 3 reads + HANGUP
        }
    }

    @Test
    void fallsBackToOneReadPerFieldWhenAValueContainsTheSeparator() throws Exception {
        InetSocketAddress addr = freePort();
        CompletableFuture<SipInvite> seen = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            seen.complete(invite);
            call.hangup();
        }))) {
            new FakeAsterisk(cmd -> {
                if (cmd.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,request_uri)}")) {
                    return inviteReply("X-Evil", "", "a" + SEP + "b"); // one field too many: read one by one
                }
                if (cmd.equals("GET FULL VARIABLE \"${PJSIP_HEADERS(X-)}\"")) return "200 result=1 (X-Evil)";
                if (cmd.equals("GET FULL VARIABLE \"${PJSIP_HEADER(read,X-*,1)}\"")) {
                    return "200 result=1 (a" + SEP + "b)";
                }
                return "200 result=0";
            }).run(addr);
            assertEquals("a" + SEP + "b", seen.get(5, TimeUnit.SECONDS).xHeaders().get("X-Evil"));
        }
    }

    @Test
    void aHangupDuringPlaybackEndsTheCallQuietly() throws Exception {
        InetSocketAddress addr = freePort();
        CompletableFuture<Boolean> gone = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            try {
                call.answer();
                call.play("/var/lib/twiml-agi/tts/x", "");
                gone.complete(false);
            } catch (io.twimlagi.call.CallGoneException e) {
                gone.complete(call.isGone());
                throw e;
            }
        }))) {
            FakeAsterisk asterisk = new FakeAsterisk(cmd -> {
                if (cmd.startsWith("STREAM FILE")) return "200 result=-1 endpos=100\nHANGUP";
                if (cmd.startsWith("CHANNEL STATUS")) return "511 Command Not Permitted on a dead channel or intercept routine";
                return asterisk(cmd);
            });
            asterisk.run(addr);
            assertTrue(gone.get(5, TimeUnit.SECONDS));
            assertEquals("CHANNEL STATUS", asterisk.commands.get(asterisk.commands.size() - 1));
        }
    }

    @Test
    void withoutPJSIPHangupARejectUsesTheHangupCause() throws Exception {
        InetSocketAddress addr = freePort();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> call.reject(486)))) {
            FakeAsterisk asterisk = new FakeAsterisk(cmd -> {
                if (cmd.startsWith("EXEC \"PJSIPHangup\"")) return "200 result=-2"; // an Asterisk before 21.1
                if (cmd.startsWith("EXEC \"Hangup\"")) return "200 result=-1\nHANGUP";
                return asterisk(cmd);
            });
            List<String> cmds = asterisk.run(addr);
            assertEquals("EXEC \"Hangup\" \"17\"", cmds.get(cmds.size() - 1));
        }
    }

    /** Found by ArgumentFuzzTest: a Redirect to a 5,000-character URL made TWIML_URL's MSet too long; the call died. */
    @Test
    void aLongAnnotationIsCutToFitTheLineInsteadOfFailingTheCall() throws Exception {
        InetSocketAddress addr = freePort();
        String url = "http://app.example.com/doc?q=" + "\\,\u00e9\ud83d\ude00".repeat(2000);
        Map<String, String> vars = new java.util.LinkedHashMap<>();
        vars.put("TWIML_CALLSID", "CA" + "0".repeat(32));
        vars.put("TWIML_URL", url);
        vars.put("TWIML_VERB", "Say");
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            call.annotate(vars);
            call.hangup();
        }))) {
            List<String> cmds = new FakeAsterisk(FastAgiServerTest::asterisk).run(addr);
            assertEquals(3, cmds.size(), cmds.toString());
            assertEquals("HANGUP", cmds.get(2), "the call went on");
            assertEquals(List.of(), new AgiLineRules("/var/lib/twiml-agi").check(cmds.get(1)));
            String value = AsteriskParsing.appArgs(AsteriskParsing.agiWords(cmds.get(1)).get(2), ',').values().get(1);
            String cut = value.substring("TWIML_URL=".length());
            int each = AgiCall.MAX_ANNOTATION_CHARS / 3;
            assertTrue(cut.length() >= each - 1 && cut.length() <= each, cut.length() + " characters");
            assertTrue(url.startsWith(cut) && !Character.isHighSurrogate(cut.charAt(cut.length() - 1)),
                    "a prefix of the URL, whole characters: " + cut.substring(cut.length() - 4));
        }
    }

    /** Ten valid {@code <Sip>} URIs of 250 '[' each escape (twice) to more than one AGI line holds. */
    @Test
    void aDialTooLongForOneLineFailsBeforeItsFirstCommand() throws Exception {
        InetSocketAddress addr = freePort();
        List<DialLeg> legs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) legs.add(new DialLeg("PJSIP/trunk/sip:" + "[".repeat(250), Map.of("X-A", "1"), true));
        DialRequest request = new DialRequest(legs, Duration.ofSeconds(30), Duration.ofHours(4), null, false);
        CompletableFuture<DialResult> seen = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            seen.complete(call.dial(request));
            call.hangup();
        }))) {
            List<String> cmds = new FakeAsterisk(FastAgiServerTest::asterisk).run(addr);
            assertEquals(DialOutcome.FAILED, seen.get(5, TimeUnit.SECONDS).outcome());
            assertEquals(List.of("HANGUP"), cmds.subList(1, cmds.size()), "nothing sent for the Dial, the call goes on");
        }
    }

    @Test
    void sanitizesTextBoundForAsterisk() throws Exception {
        InetSocketAddress addr = freePort();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            call.sendDigits("12,3\nEXEC System(id)");
            call.pause(Duration.ofMillis(1500));
            call.hangup();
        }))) {
            FakeAsterisk asterisk = new FakeAsterisk(FastAgiServerTest::asterisk);
            List<String> cmds = asterisk.run(addr);
            assertEquals("EXEC \"SendDTMF\" \"12\\\\,3EXEC System\\\\(id\\\\)\"", cmds.get(1));
            assertEquals("WAIT FOR DIGIT 1500", cmds.get(2), "a pause is an interruptible wait");
            assertEquals("HANGUP", cmds.get(3));
        }
    }
}
