package io.twimlagi.agi;

import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.call.ConferenceSounds;
import org.asteriskjava.fastagi.AgiChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The AGI side of {@code <Dial><Conference>}: ConfBridge with dynamic profiles (the CONFBRIDGE() function), so no
 * per-conference config file exists. Bridge options only count for the participant who creates the conference
 * (ConfBridge's rule); user options are per participant. ConfBridge's spoken prompts ("the conference will begin
 * when the leader arrives", "you have been kicked"...) are replaced by a short silence: Twilio says nothing.
 * <ol>
 *   <li>one {@code SET VARIABLE "CONFBRIDGE(<type>,<option>)" "<value>"} per option (with a recording,
 *       {@code record_file} is written as {@code <name>.part.wav} and {@code record_command} renames it to its
 *       name once closed);</li>
 *   <li>{@code EXEC ConfBridge "<room>"}, which returns when this participant leaves;</li>
 *   <li>{@code GET FULL VARIABLE "${CONFBRIDGE_RESULT}"};</li>
 *   <li>with endConferenceOnExit: {@code EXEC ConfKick "<room>,all"} (allowed on a hung-up channel too), so the
 *       others leave the conference and continue with their TwiML.</li>
 * </ol>
 */
public final class AgiConference {
    /** What the rooms are named (the verbs package builds them), checked again before use. */
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.-]{1,80}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_./-]{1,255}");
    /** ConfBridge keeps {@code record_command} in a 128-byte buffer (confbridge.h, {@code rec_command[128]}). */
    static final int MAX_RECORD_COMMAND = 127;
    private static final Pattern RECORD_FILE = Pattern.compile("/[A-Za-z0-9_./-]{1,240}\\.wav");
    /** ConfBridge prompts Twilio does not have; each gets the silence file. */
    private static final List<String> SILENCED = List.of("sound_wait_for_leader", "sound_leader_has_left",
            "sound_place_into_conference", "sound_kicked", "sound_only_person", "sound_only_one", "sound_there_are",
            "sound_other_in_party", "sound_locked", "sound_error_menu", "sound_begin");

    private final BlockingAppSession session;

    public AgiConference(AgiChannel channel) {
        this.session = new BlockingAppSession(channel);
    }

    /** The CONFBRIDGE() settings for a request, in order: {function argument, value}. */
    public static List<String[]> profile(ConferenceRequest r) {
        if (!ROOM.matcher(r.room()).matches()) throw new IllegalArgumentException("bad conference room " + r.room());
        List<String[]> out = new ArrayList<>();
        // CONFBRIDGE() settings stay on the channel: a second conference on the same call starts from scratch
        out.add(new String[] {"CONFBRIDGE(bridge,clear)", ""});
        out.add(new String[] {"CONFBRIDGE(user,clear)", ""});
        out.add(new String[] {"CONFBRIDGE(menu,clear)", ""});
        ConferenceSounds s = r.sounds();
        out.add(bridge("max_members", Integer.toString(Math.max(1, r.maxParticipants()))));
        out.add(bridge("sound_join", path(s.join())));
        out.add(bridge("sound_leave", path(s.leave())));
        for (String prompt : SILENCED) out.add(bridge(prompt, path(s.silence())));
        if (r.recordFile() != null) {
            String file = recordFile(r.recordFile());
            out.add(bridge("record_conference", "yes"));
            out.add(bridge("record_file", ConferenceRequest.writtenAs(file)));
            out.add(bridge("record_file_append", "no"));
            out.add(bridge("record_file_timestamp", "no")); // the file name must stay ours (the recording sid)
            String command = renameCommand(file);
            if (command != null) out.add(bridge("record_command", command));
        }
        out.add(user("marked", r.startOnEnter() ? "yes" : "no"));
        out.add(user("wait_marked", r.startOnEnter() ? "no" : "yes"));
        // a waiter leaves (CONFBRIDGE_RESULT=ENDMARKED) when the last starter does, rather than going back on
        // hold: the server joins it again as a starter, as Twilio keeps a started conference going
        out.add(user("end_marked", r.startOnEnter() ? "no" : "yes"));
        out.add(user("startmuted", r.muted() ? "yes" : "no"));
        out.add(user("quiet", r.quiet() ? "yes" : "no"));
        out.add(user("announce_only_user", "no"));
        out.add(user("announce_user_count", "no"));
        out.add(user("announce_join_leave", "no"));
        out.add(user("dtmf_passthrough", "no"));
        out.add(user("music_on_hold_when_empty", r.holdClass() == null ? "no" : "yes"));
        if (r.holdClass() != null) {
            if (!ROOM.matcher(r.holdClass()).matches()) throw new IllegalArgumentException("bad class " + r.holdClass());
            out.add(user("music_on_hold_class", r.holdClass()));
        }
        out.add(user("timeout", Long.toString(Math.max(0, r.timeLimit().toSeconds()))));
        if (r.leaveKey() == '*' || r.leaveKey() == '#') {
            out.add(new String[] {"CONFBRIDGE(menu," + r.leaveKey() + ")", "leave_conference"});
        }
        return out;
    }

    private static String[] bridge(String option, String value) {
        return new String[] {"CONFBRIDGE(bridge," + option + ")", value};
    }

    private static String[] user(String option, String value) {
        return new String[] {"CONFBRIDGE(user," + option + ")", value};
    }

    /**
     * The command MixMonitor runs (through the shell) once it has closed the conference's file, when the conference
     * ends: it renames the file to its name, so the server sees it appear complete. Only a validated path enters
     * it (no {@code $} brace, which Asterisk would expand); null when it would not fit in ConfBridge's
     * {@code record_command}, which cuts it silently: the server then takes the file once it stops growing.
     */
    static String renameCommand(String recordFile) {
        String base = recordFile.substring(0, recordFile.length() - ".wav".length());
        if (!ConferenceRequest.writtenAs(recordFile).equals(base + ".part.wav")) {
            throw new IllegalStateException("record file naming changed: " + recordFile);
        }
        String command = "f=" + base + ";/bin/mv $f.part.wav $f.wav";
        return command.length() <= MAX_RECORD_COMMAND ? command : null;
    }

    /** An absolute WAV path of plain characters: it goes into a shell command, and into MixMonitor's arguments. */
    private static String recordFile(String p) {
        if (p == null || !RECORD_FILE.matcher(p).matches() || p.contains("..")) {
            throw new IllegalArgumentException("bad recording file " + p);
        }
        return p;
    }

    private static String path(String p) {
        if (p == null || !PATH.matcher(p).matches() || p.contains("..")) {
            throw new IllegalArgumentException("bad sound path " + p);
        }
        return p;
    }

    /** Joins, stays until the participant leaves, reports why. */
    public ConferenceResult join(ConferenceRequest request) {
        for (String[] v : profile(request)) session.set(v[0], v[1]);
        long started = System.nanoTime();
        session.exec("ConfBridge", AgiText.appArg(request.room()));
        int seconds = (int) ((System.nanoTime() - started) / 1_000_000_000L);
        String result = session.get("${CONFBRIDGE_RESULT}");
        result = result == null || result.isBlank() ? (session.callerGone() ? "HANGUP" : "FAILED") : result.strip();
        // ConfBridge returns -1 when it could not join (full, bad profile) as when the caller hung up: ask the
        // channel which (CHANNEL STATUS is refused with 511 on a hung-up channel)
        // a hangup inside ConfBridge returns 0 with CONFBRIDGE_RESULT=HANGUP (asterisk-java swallows the HANGUP line)
        boolean gone = "HANGUP".equals(result)
                || (session.callerGone() && (!"FAILED".equals(result) || !session.channelAlive()));
        // a participant who never joined, or was kicked because someone else ended it, does not end it again
        if (request.endOnExit() && !"FAILED".equals(result) && !"KICKED".equals(result)) {
            session.exec("ConfKick", AgiText.appArg(request.room()) + ",all");
        }
        return new ConferenceResult(exit(result), seconds, gone);
    }

    /** ConfBridge's CONFBRIDGE_RESULT in our words. */
    static ConferenceExit exit(String result) {
        return switch (result) {
            case "HANGUP" -> ConferenceExit.HUNG_UP;
            case "KICKED" -> ConferenceExit.KICKED;
            case "ENDMARKED" -> ConferenceExit.STARTERS_LEFT;
            case "DTMF" -> ConferenceExit.LEFT_BY_KEY;
            case "TIMEOUT" -> ConferenceExit.TIME_LIMIT;
            case "FAILED" -> ConferenceExit.NOT_JOINED;
            default -> ConferenceExit.OTHER;
        };
    }
}
