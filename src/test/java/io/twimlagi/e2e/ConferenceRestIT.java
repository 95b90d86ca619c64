package io.twimlagi.e2e;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Conference;
import com.twilio.rest.api.v2010.account.conference.Participant;
import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.rest.LocalTwilioHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.twimlagi.e2e.ConferenceIT.HOLD_HZ;
import static io.twimlagi.e2e.ConferenceIT.LEFT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Conferences REST resources on a real Asterisk 22, driven by Twilio's Java SDK: two sipp callers in one
 * {@code <Dial><Conference>}, listed in progress with both participants; muted through the SDK (ConfBridge shows
 * it, and its tone no longer reaches the other), held (it hears the hold music, 550 Hz in the sandbox, and is out
 * of the mix) and back; removed (its Dial action runs); and the conference ended with {@code Status=completed}.
 */
class ConferenceRestIT {
    static Bench bench;
    static TwilioRestClient client;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        ConferenceIT.bench = bench; // its helpers (callers, members, tones) read the bench from there
        client = new TwilioRestClient.Builder(Bench.ACCOUNT, Bench.TOKEN)
                .httpClient(new LocalTwilioHttpClient("http://127.0.0.1:18089")).build();
        AmiIT.awaitConnected(bench.server.ami(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        ConferenceIT.bench = null;
        if (bench != null) bench.close();
    }

    static void room(String user, String name) {
        bench.app.on(user, "/voice", "<Response><Dial action=\"/left\"><Conference beep=\"false\">" + name
                + "</Conference></Dial></Response>");
        bench.app.on(user, "/left", LEFT);
    }

    static String callSid(String user) throws InterruptedException {
        return bench.app.awaitHits(user, 1, Duration.ofSeconds(10)).get(0).params().get("CallSid");
    }

    /** The conference in progress named {@code name}, through the SDK's list and its filters. */
    static Conference inProgress(String name) {
        List<Conference> found = new ArrayList<>();
        Conference.reader().setFriendlyName(name).setStatus(Conference.Status.IN_PROGRESS).read(client)
                .forEach(found::add);
        assertEquals(1, found.size(), "one conference " + name + " in progress: " + found);
        return found.get(0);
    }

    static List<String> participants(String conferenceSid) {
        List<String> sids = new ArrayList<>();
        Participant.reader(conferenceSid).read(client).forEach(p -> sids.add(p.getCallSid()));
        return sids;
    }

    /**
     * ConfBridge's own view: the {@code Flags} of call {@code callSid}'s channel in {@code confbridge list <room>}
     * (the channel found by the TWIML_CALLSID variable the server sets on it).
     */
    static String confbridgeFlags(String bridge, String callSid) {
        String list = bench.asterisk.cli("confbridge list " + bridge);
        for (String line : list.lines().filter(l -> l.startsWith("PJSIP/")).toList()) {
            String channel = line.split("\\s+")[0];
            if (bench.asterisk.cli("core show channel " + channel).contains("TWIML_CALLSID=" + callSid)) {
                String flags = line.substring(channel.length()).strip().split("\\s+")[0];
                return flags.equals(line.substring(channel.length()).strip()) ? "" : flags;
            }
        }
        throw new AssertionError("no channel of " + callSid + " in " + bridge + ":\n" + list);
    }

    static String bridgeName(String prefix) {
        return bench.asterisk.cli("confbridge list").lines().filter(l -> l.startsWith(prefix + "-"))
                .map(l -> l.split("\\s+")[0]).findFirst().orElseThrow(() -> new AssertionError("no bridge " + prefix
                        + ":\n" + bench.asterisk.cli("confbridge list")));
    }

    /** {@code to} hears {@code hz} sent by {@code from} (a 1.2 s tone), or not at all. */
    static void assertHears(RtpSink from, RtpSink to, double hz, boolean heard, String what) throws Exception {
        int mark = to.sampleCount();
        ConferenceIT.send(from, hz, 1200).join();
        if (heard) {
            assertTrue(to.awaitToneMillis(hz, 500, mark, Duration.ofSeconds(3)),
                    what + ": " + to.toneMillis(hz, mark) + " ms heard");
        } else {
            Thread.sleep(300); // what was sent has had time to come through the mix
            assertEquals(0, to.toneMillis(hz, mark), what);
        }
    }

    @Test
    void muteHoldAndRemoveThroughTheSdkActOnConfBridge() throws Exception {
        room("crest-a", "Rest Room");
        room("crest-b", "Rest Room");
        try (RtpSink a = new RtpSink(); RtpSink b = new RtpSink()) {
            CompletableFuture<SippResult> callerA = ConferenceIT.caller("crest-a", a);
            ConferenceIT.awaitMembers("Rest_Room", 1);
            CompletableFuture<SippResult> callerB = ConferenceIT.caller("crest-b", b);
            ConferenceIT.awaitMembers("Rest_Room", 2);
            assertTrue(a.awaitPackets(10, Duration.ofSeconds(5)) && b.awaitPackets(10, Duration.ofSeconds(5)));
            String sidA = callSid("crest-a");
            String sidB = callSid("crest-b");
            String bridge = bridgeName("Rest_Room");

            Conference conference = inProgress("Rest Room");
            String conf = conference.getSid();
            assertEquals(List.of(sidA, sidB), participants(conf));
            assertHears(a, b, 1000, true, "before the mute, B hears A");

            // mute A: ConfBridge shows it muted and A's tone no longer reaches B; B still reaches A
            assertTrue(Participant.updater(conf, sidA).setMuted(true).update(client).getMuted());
            assertTrue(confbridgeFlags(bridge, sidA).contains("m"), "ConfBridge lists A muted:\n"
                    + bench.asterisk.cli("confbridge list " + bridge));
            assertFalse(confbridgeFlags(bridge, sidB).contains("m"), "not B");
            assertHears(a, b, 1000, false, "muted A is not heard by B");
            assertHears(b, a, 1400, true, "B is still heard by A");
            assertFalse(Participant.updater(conf, sidA).setMuted(false).update(client).getMuted());
            assertFalse(confbridgeFlags(bridge, sidA).contains("m"), "ConfBridge lists A unmuted");
            assertHears(a, b, 1000, true, "unmuted A is heard again");

            // hold B: it hears the hold music and is out of the mix both ways
            int markB = b.sampleCount();
            assertTrue(Participant.updater(conf, sidB).setHold(true).update(client).getHold());
            assertTrue(b.awaitToneMillis(HOLD_HZ, 600, markB, Duration.ofSeconds(5)), "B on hold hears the music");
            ConferenceIT.awaitMembers("Rest_Room", 1);
            assertTrue(bench.asterisk.cli("confbridge list").contains("hold-" + sidB), "B waits in its hold room:\n"
                    + bench.asterisk.cli("confbridge list"));
            assertHears(a, b, 1000, false, "held B does not hear A");
            assertHears(b, a, 1400, false, "held B is not heard by A");
            assertTrue(Participant.fetcher(conf, sidB).fetch(client).getHold());
            assertEquals(List.of(sidA, sidB), participants(conf), "a held participant is still a participant");

            assertFalse(Participant.updater(conf, sidB).setHold(false).update(client).getHold());
            ConferenceIT.awaitMembers("Rest_Room", 2);
            assertHears(b, a, 1400, true, "B back from hold is heard by A");
            assertHears(a, b, 1000, true, "and hears A");

            // remove B: its Dial ends, its action runs (Say, Hangup), A stays
            assertTrue(Participant.deleter(conf, sidB).delete(client));
            Map<String, String> action = ConferenceIT.left("crest-b").params();
            assertEquals("answered", action.get("DialCallStatus"));
            assertEquals("in-progress", action.get("CallStatus"), "B's call goes on with its TwiML");
            ConferenceIT.ok(callerB, "B");
            assertEquals(List.of(sidA), participants(conf));

            // end the conference: A leaves too, its action runs
            Conference ended = Conference.updater(conf).setStatus(Conference.UpdateStatus.COMPLETED).update(client);
            assertEquals(Conference.Status.COMPLETED, ended.getStatus());
            assertEquals("answered", ConferenceIT.left("crest-a").params().get("DialCallStatus"));
            ConferenceIT.ok(callerA, "A");
        }
    }

    @Test
    void statusCompletedEndsTheConferenceForBothCallersAndItStaysListed() throws Exception {
        room("crest-c", "Ended Room");
        room("crest-d", "Ended Room");
        String conf;
        try (RtpSink c = new RtpSink(); RtpSink d = new RtpSink()) {
            CompletableFuture<SippResult> callerC = ConferenceIT.caller("crest-c", c);
            ConferenceIT.awaitMembers("Ended_Room", 1);
            CompletableFuture<SippResult> callerD = ConferenceIT.caller("crest-d", d);
            ConferenceIT.awaitMembers("Ended_Room", 2);
            conf = inProgress("Ended Room").getSid();
            assertEquals(2, participants(conf).size());
            Conference ended = Conference.updater(conf).setStatus(Conference.UpdateStatus.COMPLETED).update(client);
            assertEquals(Conference.Status.COMPLETED, ended.getStatus());
            assertEquals(Conference.ReasonConferenceEnded.CONFERENCE_ENDED_VIA_API, ended.getReasonConferenceEnded());
            for (String u : List.of("crest-c", "crest-d")) {
                Map<String, String> action = ConferenceIT.left(u).params();
                assertEquals("answered", action.get("DialCallStatus"), u);
                assertEquals("in-progress", action.get("CallStatus"), u);
            }
            ConferenceIT.ok(callerC, "C");
            ConferenceIT.ok(callerD, "D");
            assertFalse(bench.asterisk.cli("confbridge list").contains("Ended_Room-"), "the bridge is gone");
        }
        // the records file outlives the server: earlier runs' conferences of that name may be listed too
        List<String> completed = new ArrayList<>();
        Conference.reader().setFriendlyName("Ended Room").setStatus(Conference.Status.COMPLETED).read(client)
                .forEach(c -> completed.add(c.getSid()));
        assertEquals(conf, completed.get(0), "newest first: " + completed);
        assertEquals(List.of(), participants(conf));
    }
}
