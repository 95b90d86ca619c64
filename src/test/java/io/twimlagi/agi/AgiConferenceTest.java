package io.twimlagi.agi;

import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.call.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CONFBRIDGE() dynamic profile of {@code <Dial><Conference>}, and what it refuses to put into it. */
class AgiConferenceTest {
    static final ConferenceSounds SOUNDS = new ConferenceSounds("/var/lib/twiml-agi/tones/join",
            "/var/lib/twiml-agi/tones/leave", "/var/lib/twiml-agi/tones/silence");
    static final List<String> SILENCED = List.of("sound_wait_for_leader", "sound_leader_has_left",
            "sound_place_into_conference", "sound_kicked", "sound_only_person", "sound_only_one", "sound_there_are",
            "sound_other_in_party", "sound_locked", "sound_error_menu", "sound_begin");

    static ConferenceRequest request(String room, boolean muted, boolean startOnEnter, boolean quiet,
                                          String holdClass, String recordFile, char leaveKey,
                                          ConferenceSounds sounds) {
        return new ConferenceRequest(room, muted, startOnEnter, false, quiet, 25, holdClass, recordFile,
                Duration.ofSeconds(600), leaveKey, sounds);
    }

    static ConferenceRequest plain(String room) {
        return request(room, false, true, false, "default", null, (char) 0, SOUNDS);
    }

    /** The profile as a map (function argument → value); also checks no argument is set twice. */
    static Map<String, String> profile(ConferenceRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String[] v : AgiConference.profile(r)) {
            assertEquals(2, v.length);
            assertEquals(null, m.put(v[0], v[1]), "set twice: " + v[0]);
        }
        return m;
    }

    @Test
    void aStarterIsMarkedAndHearsHoldMusicWhileAlone() {
        Map<String, String> p = profile(plain("support-0123456789abcdef"));
        assertEquals("yes", p.get("CONFBRIDGE(user,marked)"));
        assertEquals("no", p.get("CONFBRIDGE(user,wait_marked)"), "written both ways: no leftover from before");
        assertEquals("no", p.get("CONFBRIDGE(user,end_marked)"), "a starter is never let out by ConfBridge");
        assertEquals("no", p.get("CONFBRIDGE(user,startmuted)"));
        assertEquals("no", p.get("CONFBRIDGE(user,quiet)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,music_on_hold_when_empty)"));
        assertEquals("default", p.get("CONFBRIDGE(user,music_on_hold_class)"));
        assertEquals("600", p.get("CONFBRIDGE(user,timeout)"));
        assertEquals("25", p.get("CONFBRIDGE(bridge,max_members)"));
        assertEquals(SOUNDS.join(), p.get("CONFBRIDGE(bridge,sound_join)"));
        assertEquals(SOUNDS.leave(), p.get("CONFBRIDGE(bridge,sound_leave)"));
        assertFalse(p.containsKey("CONFBRIDGE(bridge,record_conference)"));
        assertFalse(p.keySet().stream().anyMatch(k -> k.startsWith("CONFBRIDGE(menu,") && !k.endsWith(",clear)")),
                p.toString());
        // Twilio says nothing where ConfBridge would speak
        assertEquals("no", p.get("CONFBRIDGE(user,announce_only_user)"));
        assertEquals("no", p.get("CONFBRIDGE(user,announce_user_count)"));
        assertEquals("no", p.get("CONFBRIDGE(user,announce_join_leave)"));
    }

    @Test
    void everySpokenPromptIsReplacedByTheSilence() {
        Map<String, String> p = profile(plain("r"));
        for (String prompt : SILENCED) {
            assertEquals(SOUNDS.silence(), p.get("CONFBRIDGE(bridge," + prompt + ")"), prompt);
        }
    }

    @Test
    void aWaiterIsWaitMarkedMutedAndQuiet() {
        Map<String, String> p = profile(request("r", true, false, true, "default", null, (char) 0, SOUNDS));
        assertEquals("yes", p.get("CONFBRIDGE(user,wait_marked)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,end_marked)"), "let out (ENDMARKED) when the last starter leaves");
        assertEquals("no", p.get("CONFBRIDGE(user,marked)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,startmuted)"));
        assertEquals("yes", p.get("CONFBRIDGE(user,quiet)"));
    }

    @Test
    void noHoldClassMeansSilenceWhileAlone() {
        Map<String, String> p = profile(request("r", false, true, false, null, null, (char) 0, SOUNDS));
        assertEquals("no", p.get("CONFBRIDGE(user,music_on_hold_when_empty)"));
        assertFalse(p.containsKey("CONFBRIDGE(user,music_on_hold_class)"));
    }

    @Test
    void recordingTheConference() {
        Map<String, String> p = profile(request("r", false, true, false, null,
                "/var/lib/twiml-agi/recordings/RE0123.wav", (char) 0, SOUNDS));
        assertEquals("yes", p.get("CONFBRIDGE(bridge,record_conference)"));
        assertEquals("/var/lib/twiml-agi/recordings/RE0123.part.wav", p.get("CONFBRIDGE(bridge,record_file)"),
                "written under a temporary name");
        assertEquals("no", p.get("CONFBRIDGE(bridge,record_file_append)"));
        assertEquals("no", p.get("CONFBRIDGE(bridge,record_file_timestamp)"));
        assertEquals("f=/var/lib/twiml-agi/recordings/RE0123;/bin/mv $f.part.wav $f.wav",
                p.get("CONFBRIDGE(bridge,record_command)"), "renamed to its name once MixMonitor closed it");
    }

    @Test
    void theRenameCommandFitsConfBridgesBufferOrIsLeftOut() {
        String sid = "RE" + "0123456789abcdef".repeat(2);
        String usual = "/var/lib/twiml-agi/recordings/" + sid + ".wav";
        assertTrue(AgiConference.renameCommand(usual).length() <= AgiConference.MAX_RECORD_COMMAND);
        String longest = "/" + "d".repeat(62) + "/" + sid + ".wav"; // a 63-character folder
        assertEquals(AgiConference.MAX_RECORD_COMMAND, AgiConference.renameCommand(longest).length());
        String tooLong = "/" + "d".repeat(63) + "/" + sid + ".wav";
        assertEquals(null, AgiConference.renameCommand(tooLong), "ConfBridge would cut it: a wrong command");
        Map<String, String> p = profile(request("r", false, true, false, null, tooLong, (char) 0, SOUNDS));
        assertFalse(p.containsKey("CONFBRIDGE(bridge,record_command)"), p.toString());
        assertEquals("/" + "d".repeat(63) + "/" + sid + ".part.wav", p.get("CONFBRIDGE(bridge,record_file)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"recordings/RE1.wav", "/r/RE1.wav;id", "/r/$(id).wav", "/r/`id`.wav", "/r/a b.wav",
            "/r/a,b.wav", "/r/../RE1.wav", "/r/RE1.raw", "/r/RE1", "/r/RE1.wav\nid", "/r/^{X}.wav", "/r/\"x\".wav"})
    void recordFilesThatCouldReachTheShellOtherwiseAreRefused(String file) {
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(request("r", false, true, false,
                null, file, (char) 0, SOUNDS)));
    }

    @Test
    void hangupOnStarIsAMenuEntryThatLeaves() {
        Map<String, String> p = profile(request("r", false, true, false, null, null, '*', SOUNDS));
        assertEquals("leave_conference", p.get("CONFBRIDGE(menu,*)"));
        assertEquals(1, p.keySet().stream().filter(k -> k.startsWith("CONFBRIDGE(menu,") && !k.endsWith(",clear)"))
                .count());
    }

    @Test
    void timeLimitAndMaxMembersAreBounded() {
        Map<String, String> p = profile(new ConferenceRequest("r", false, true, false, false, 0, null, null,
                Duration.ofMinutes(90), (char) 0, SOUNDS));
        assertEquals("5400", p.get("CONFBRIDGE(user,timeout)"));
        assertEquals("1", p.get("CONFBRIDGE(bridge,max_members)"));
    }

    @Test
    void userOptionsComeAfterTheBridgeOptions() {
        List<String> all = AgiConference.profile(plain("r")).stream().map(v -> v[0]).toList();
        assertEquals(List.of("CONFBRIDGE(bridge,clear)", "CONFBRIDGE(user,clear)", "CONFBRIDGE(menu,clear)"),
                all.subList(0, 3), "a channel's earlier conference settings are cleared first");
        List<String> keys = all.subList(3, all.size());
        int lastBridge = -1;
        int firstUser = Integer.MAX_VALUE;
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).startsWith("CONFBRIDGE(bridge,")) lastBridge = i;
            if (keys.get(i).startsWith("CONFBRIDGE(user,")) firstUser = Math.min(firstUser, i);
        }
        assertTrue(lastBridge < firstUser, keys.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b", "a)b", "a|b", "a b", "a\nb", "a}${SHELL(id)}", "", "r\u00e9union", "a;b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void unsafeRoomNamesAreRefused(String room) {
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(plain(room)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/twiml-agi/../../etc/passwd", "/var/lib/my tones/join", "tones/join,x",
            "tones/join)", "tones/$join", ""})
    void unsafeSoundPathsAreRefused(String path) {
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(request("r", false, true, false,
                null, null, (char) 0, new ConferenceSounds(path, SOUNDS.leave(), SOUNDS.silence()))));
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(request("r", false, true, false,
                null, null, (char) 0, new ConferenceSounds(SOUNDS.join(), SOUNDS.leave(), path))));
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(request("r", false, true, false,
                null, path.isEmpty() ? "" : path + ".wav", (char) 0, SOUNDS)));
    }

    @Test
    void aMissingSoundIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(request("r", false, true, false,
                null, null, (char) 0, new ConferenceSounds(SOUNDS.join(), null, SOUNDS.silence()))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default,x", "moh)", "my class", "a\nb", "", "${EVIL}"})
    void badHoldClassesAreRefused(String holdClass) {
        assertThrows(IllegalArgumentException.class, () -> AgiConference.profile(request("r", false, true, false,
                holdClass, null, (char) 0, SOUNDS)));
    }

    @Test
    void safeNamesWithDotsDashesAndUnderscoresPass() {
        Map<String, String> p = profile(request("Team_Room_1_.x-0123456789abcdef", false, true, false, "moh-2.b_c",
                null, (char) 0, SOUNDS));
        assertEquals("moh-2.b_c", p.get("CONFBRIDGE(user,music_on_hold_class)"));
    }
}
