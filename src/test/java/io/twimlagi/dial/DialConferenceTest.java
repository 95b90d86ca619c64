package io.twimlagi.dial;

import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.agi.AgiConference;
import io.twimlagi.agi.AgiText;
import io.twimlagi.config.Domain;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code <Dial><Conference>} parsed from TwiML, run by DialExecutor on a FakeCall: the ConferenceRequest. */
class DialConferenceTest {
    static final String DOMAIN_A = "SD" + "0a".repeat(16);
    static final String DOMAIN_B = "SD" + "0b".repeat(16);
    static final ConferenceSounds SOUNDS = DialKit.SOUNDS;
    static final String SAFE = "[A-Za-z0-9_.-]+";

    FakeCall call = new FakeCall();
    final DialExecutor executor = DialKit.executor();

    CallContext ctx(String domainSid) {
        return new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                new Domain("pbx.example.com", domainSid, "https://app.example.com/ivr/main.xml", HttpMethod.POST,
                        null, HttpMethod.POST, null, HttpMethod.POST));
    }

    Outcome run(String xml, String domainSid) throws Exception {
        return executor.execute(DialExecutorTest.dial(xml), ctx(domainSid));
    }

    /** The CONFBRIDGE() settings the AGI side sends for a request, by function argument. */
    static Map<String, String> profile(ConferenceRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String[] v : AgiConference.profile(r)) m.put(v[0], v[1]);
        return m;
    }

    ConferenceRequest join(String xml) throws Exception {
        run(xml, DOMAIN_A);
        return call.lastConference;
    }

    @Test
    void defaults() throws Exception {
        ConferenceRequest r = join("<Dial><Conference>support</Conference></Dial>");
        assertTrue(r.startOnEnter());
        assertFalse(r.endOnExit());
        assertFalse(r.muted());
        assertFalse(r.quiet());
        assertEquals("default", r.holdClass());
        assertEquals(250, r.maxParticipants());
        assertNull(r.recordFile());
        assertEquals(Duration.ofSeconds(14400), r.timeLimit());
        assertEquals(0, r.leaveKey());
        assertEquals(SOUNDS, r.sounds());
        assertTrue(r.room().matches(SAFE), r.room());
        assertTrue(r.room().startsWith("support-"), r.room());
        assertTrue(call.events.contains("conference " + r.room()), call.events.toString());
        assertNull(call.lastDial, "a conference is not a Dial");
        Map<String, String> p = profile(r); // what ConfBridge is told
        assertEquals("yes", p.get("CONFBRIDGE(user,marked)"));
        assertEquals("no", p.get("CONFBRIDGE(user,wait_marked)"));
        assertEquals("no", p.get("CONFBRIDGE(user,end_marked)"));
        assertEquals("no", p.get("CONFBRIDGE(user,startmuted)"));
        assertEquals("no", p.get("CONFBRIDGE(user,quiet)"));
        assertEquals("250", p.get("CONFBRIDGE(bridge,max_members)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,music_on_hold_when_empty)"));
        assertEquals("default", p.get("CONFBRIDGE(user,music_on_hold_class)"));
        assertEquals("14400", p.get("CONFBRIDGE(user,timeout)"));
        assertEquals(SOUNDS.join(), p.get("CONFBRIDGE(bridge,sound_join)"));
        assertEquals(SOUNDS.leave(), p.get("CONFBRIDGE(bridge,sound_leave)"));
        assertFalse(p.containsKey("CONFBRIDGE(bridge,record_conference)"), p.toString());
        assertFalse(p.containsKey("CONFBRIDGE(menu,*)"), "no leave key without hangupOnStar");
    }

    @Test
    void everyAttributeReachesTheRequest() throws Exception {
        ConferenceRequest r = join("<Dial hangupOnStar=\"true\" timeLimit=\"600\"><Conference "
                + "startConferenceOnEnter=\"false\" endConferenceOnExit=\"true\" beep=\"false\" muted=\"true\" "
                + "waitUrl=\"\" maxParticipants=\"10\">support</Conference></Dial>");
        assertFalse(r.startOnEnter());
        assertTrue(r.endOnExit());
        assertTrue(r.quiet());
        assertTrue(r.muted());
        assertNull(r.holdClass(), "waitUrl=\"\" is silence");
        assertEquals(10, r.maxParticipants());
        assertEquals('*', r.leaveKey());
        assertEquals(Duration.ofSeconds(600), r.timeLimit());
        Map<String, String> p = profile(r); // what ConfBridge is told
        assertEquals("no", p.get("CONFBRIDGE(user,marked)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,wait_marked)"), "waits for a starter");
        assertEquals("yes", p.get("CONFBRIDGE(user,end_marked)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,startmuted)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,quiet)"), "beep=false");
        assertEquals("10", p.get("CONFBRIDGE(bridge,max_members)"));
        assertEquals("no", p.get("CONFBRIDGE(user,music_on_hold_when_empty)"), "waitUrl=\"\" is silence");
        assertFalse(p.containsKey("CONFBRIDGE(user,music_on_hold_class)"), p.toString());
        assertEquals("600", p.get("CONFBRIDGE(user,timeout)"));
        assertEquals("leave_conference", p.get("CONFBRIDGE(menu,*)"), "hangupOnStar");
    }

    @Test
    void beepOnEnterOrOnExitIsNotQuiet() throws Exception {
        assertFalse(join("<Dial><Conference beep=\"onEnter\">x</Conference></Dial>").quiet());
        assertFalse(join("<Dial><Conference beep=\"onExit\">x</Conference></Dial>").quiet());
        assertFalse(join("<Dial><Conference beep=\"true\">x</Conference></Dial>").quiet());
    }

    @Test
    void aWaitUrlStillPlaysTheDefaultClass() throws Exception {
        assertEquals("default", join("<Dial><Conference waitUrl=\"https://app.example.com/wait\">x</Conference>"
                + "</Dial>").holdClass());
    }

    @Test
    void aTimeLimitAboveFourHoursIsCapped() throws Exception {
        assertEquals(Duration.ofSeconds(14400), join("<Dial timeLimit=\"86400\"><Conference>x</Conference></Dial>")
                .timeLimit());
    }

    @Test
    void roomsArePerDomainAndName() throws Exception {
        String a1 = join("<Dial><Conference>Team Room #1</Conference></Dial>").room();
        String a2 = join("<Dial><Conference>Team Room #1</Conference></Dial>").room();
        run("<Dial><Conference>Team Room #1</Conference></Dial>", DOMAIN_B);
        String b = call.lastConference.room();
        String other = join("<Dial><Conference>Team Room #2</Conference></Dial>").room();
        assertEquals(a1, a2);
        assertNotEquals(a1, b, "same name, another domain: another conference");
        assertNotEquals(a1, other);
        assertEquals(ConferenceRooms.bridgeName(DOMAIN_A, "Team Room #1"), a1);
        assertEquals(ConferenceRooms.bridgeName(DOMAIN_B, "Team Room #1"), b);
    }

    @Test
    void namesThatCouldConfuseAsteriskBecomeSafeRooms() throws Exception {
        for (String name : List.of("Team Room #1 \u2603", "../../etc", ".hidden", "a,b)|c${X}", "\u2603\u2603",
                "x".repeat(200), "line\nbreak", "  padded  ")) {
            String room = ConferenceRooms.bridgeName(DOMAIN_A, name);
            assertTrue(room.matches(SAFE), name + " -> " + room);
            assertFalse(room.startsWith("."), room);
            assertTrue(room.length() <= 80, room);
            assertEquals(room, AgiText.appArg(room), "reaches ConfBridge as it is, nothing to escape");
            assertEquals("250", profile(new ConferenceRequest(room, false, true, false, false, 250, "default",
                    null, Duration.ofSeconds(60), (char) 0, SOUNDS)).get("CONFBRIDGE(bridge,max_members)"), room);
        }
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(new ConferenceRequest(
                "a,b", false, true, false, false, 250, "default", null, Duration.ofSeconds(60), (char) 0, SOUNDS)),
                "the AGI side checks the room, so the rooms above passed that check");
        assertNotEquals(ConferenceRooms.bridgeName(DOMAIN_A, "a b"), ConferenceRooms.bridgeName(DOMAIN_A, "a_b"),
                "names that read the same still differ by their hash");
        String snowman = join("<Dial><Conference>Team Room #1 \u2603</Conference></Dial>").room();
        assertTrue(snowman.matches(SAFE), snowman);
    }

    @Test
    void actionGetsAnsweredOrFailed() throws Exception {
        Outcome o = run("<Dial action=\"/after\"><Conference>x</Conference></Dial>", DOMAIN_A);
        Outcome.Navigate n = assertInstanceOf(Outcome.Navigate.class, o);
        assertEquals("https://app.example.com/after", n.url());
        assertEquals("answered", n.extraParams().get("DialCallStatus"));
        assertEquals("true", n.extraParams().get("DialBridged"));

        call = new FakeCall();
        call.nextConference = new ConferenceResult(ConferenceExit.NOT_JOINED, 0, false);
        Map<String, String> p = assertInstanceOf(Outcome.Navigate.class,
                run("<Dial action=\"/after\"><Conference>x</Conference></Dial>", DOMAIN_A)).extraParams();
        assertEquals("failed", p.get("DialCallStatus"));
        assertEquals("false", p.get("DialBridged"));
    }

    @Test
    void aLiveUpdateTakesTheParticipantOutWithoutTheActionAndItIsNotJoinedAgain() throws Exception {
        call.nextConference = new ConferenceResult(ConferenceExit.KICKED, 4, false); // the breaker's kick
        int[] joins = {0};
        call.duringConference = request -> {
            joins[0]++;
            call.interrupt();
        };
        assertThrows(CallInterrupted.class,
                () -> run("<Dial action=\"/after\"><Conference>x</Conference></Dial>", DOMAIN_A));
        assertEquals(1, joins[0]);
        call = new FakeCall();
        call.nextConference = new ConferenceResult(ConferenceExit.STARTERS_LEFT, 4, false);
        call.duringConference = request -> call.interrupt();
        assertThrows(CallInterrupted.class, () -> run("<Dial><Conference startConferenceOnEnter=\"false\">y"
                + "</Conference></Dial>", DOMAIN_A), "a waiter let out is not joined again for the update");
    }

    @Test
    void withoutActionTheNextVerbOrTheEnd() throws Exception {
        assertSame(Outcome.NEXT, run("<Dial><Conference>x</Conference></Dial>", DOMAIN_A));
        call = new FakeCall();
        call.nextConference = new ConferenceResult(ConferenceExit.HUNG_UP, 3, true);
        assertSame(Outcome.END, run("<Dial><Conference>x</Conference></Dial>", DOMAIN_A));
    }

    @Test
    void aConferenceWithANumberJoinsOnlyTheConference() throws Exception {
        run("<Dial><Number>+15551230000</Number><Conference>x</Conference></Dial>", DOMAIN_A);
        assertNull(call.lastDial, "the Number is not dialed");
        assertTrue(call.lastConference.room().startsWith("x-"), call.lastConference.room());
        assertFalse(call.events.stream().anyMatch(e -> e.startsWith("dial")), call.events.toString());
    }

    @Test
    void aWaiterJoiningAStartedConferenceJoinsAsAStarterWhileAnEarlyOneWaits() throws Exception {
        FakeCall starter = call;
        FakeCall late = new FakeCall();
        FakeCall early = new FakeCall();
        String waiter = "<Dial><Conference startConferenceOnEnter=\"false\">room</Conference></Dial>";
        early.duringConference = r -> {
            call = starter;
            starter.duringConference = s -> {
                call = late;
                try {
                    run(waiter, DOMAIN_A); // joins while the starter is in
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            try {
                run("<Dial><Conference>room</Conference></Dial>", DOMAIN_A);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        call = early;
        run(waiter, DOMAIN_A);
        assertFalse(early.lastConference.startOnEnter(), "before the start: waits");
        assertTrue(starter.lastConference.startOnEnter());
        assertTrue(late.lastConference.startOnEnter(), "Twilio does not make anyone wait in a started conference");
        assertEquals(early.lastConference.room(), late.lastConference.room());
    }

    /** An early waiter W; while W waits, a starter joins and leaves with {@code starterXml}; W is let out. */
    FakeCall waiterLetOutAfter(String starterXml) throws Exception {
        FakeCall starter = new FakeCall();
        FakeCall early = new FakeCall();
        java.util.concurrent.atomic.AtomicInteger joins = new java.util.concurrent.atomic.AtomicInteger();
        early.nextConference = new ConferenceResult(ConferenceExit.STARTERS_LEFT, 10, false); // ConfBridge's end_marked
        early.duringConference = r -> {
            if (joins.incrementAndGet() > 1) {
                early.nextConference = new ConferenceResult(ConferenceExit.HUNG_UP, 5, true);
                return;
            }
            call = starter;
            try {
                run(starterXml, DOMAIN_A); // joins and leaves while W waits
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        call = early;
        run("<Dial action=\"/left\"><Conference startConferenceOnEnter=\"false\">room</Conference></Dial>",
                DOMAIN_A);
        return early;
    }

    @Test
    void aWaiterLetOutWhenTheLastStarterLeavesJoinsAgainAsAStarter() throws Exception {
        FakeCall early = waiterLetOutAfter("<Dial><Conference>room</Conference></Dial>");
        List<String> joins = early.events.stream().filter(e -> e.startsWith("conference ")).toList();
        assertEquals(2, joins.size(), "Twilio keeps a started conference going: " + early.events);
        ConferenceRequest again = early.lastConference;
        assertTrue(again.startOnEnter(), "joins again as a starter, so it is not put back on hold");
        assertTrue(again.quiet(), "no second join beep");
        assertNull(again.recordFile());
        assertEquals(Duration.ofSeconds(14400 - 10), again.timeLimit(), "what is left of its time limit");
    }

    @Test
    void aWaiterLetOutBecauseTheStarterEndedTheConferenceLeaves() throws Exception {
        FakeCall early = waiterLetOutAfter("<Dial><Conference endConferenceOnExit=\"true\">room</Conference></Dial>");
        assertEquals(1, early.events.stream().filter(e -> e.startsWith("conference ")).count(), early.events.toString());
    }
}
