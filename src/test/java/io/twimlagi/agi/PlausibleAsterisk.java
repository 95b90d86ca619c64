package io.twimlagi.agi;

import io.twimlagi.recording.TestWavs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asterisk's side of one call for the argument fuzz test: answers every command the server may send the way
 * Asterisk 22 plausibly would (random keys, Dial statuses, recordings, the odd caller hangup), so the server's
 * executors run all their paths on hostile TwiML. When a Dial names an answered-leg routine and the Dial is
 * answered, it first plays that leg's own AGI session (twiml-answered: its 200 OK's X- headers, its screening) on
 * a second connection, as Asterisk runs it before the bridge. Deterministic for a given {@link Random}.
 */
final class PlausibleAsterisk implements Function<String, String> {
    private static final String DEAD = "511 Command Not Permitted on a dead channel or intercept routine";
    private static final String SEP = InviteReader.SEP;
    private static final Pattern ANSWERED_ROUTINE = Pattern.compile("U\\(twiml-dial-answered\\^([A-Za-z0-9]+)\\)");
    /** X- header names a caller's INVITE or a callee's 200 OK may carry (untrusted SIP text as well). */
    private static final String[] X_NAMES = {"X-Customer-Id", "X-Bad)}${SHELL(id)}", "X-A,X-B", "X-Q\"x", "X-$[1+1]",
            "X-Ok", "X-Ev il", "X-\u00e9"};
    private static final String[] X_VALUES = {"42", "${SHELL(id)}", "a,b|c", "\"quoted\"", "(x)", "$[1+1]", "back\\",
            "caf\u00e9", "", "x".repeat(300)};

    private final Random rnd;
    private final InetSocketAddress server;
    private final Duration readTimeout;
    /** The caller's connection (false: an answered Dial leg's). */
    private final boolean caller;
    /** The command index at which the caller hangs up; -1: never. */
    private final int hangupAt;
    private int count;
    private boolean gone;
    boolean callerHungUp;
    boolean answered;
    boolean bridged;
    private boolean refusedByLeg;
    private int legSerial;
    private String confBridgeResult = "";
    /** Where ConfBridge records the conference (CONFBRIDGE(bridge,record_file)); null: not recorded. */
    private String conferenceRecording;
    /** Where MixMonitor records the Dial; null: not recorded. */
    private String mixMonitorFile;
    private String status = "";
    private String peer = "";
    private String legs = "";
    private int legCount;
    /** The answered legs' conversations, each checked like the caller's. */
    final List<FakeAsterisk> legSessions = new ArrayList<>();
    private PlausibleAsterisk parent;
    private String legChannel;

    PlausibleAsterisk(Random rnd, InetSocketAddress server, Duration readTimeout) {
        this(rnd, server, readTimeout, true, rnd.nextInt(12) == 0 ? rnd.nextInt(40) : -1);
    }

    private PlausibleAsterisk(Random rnd, InetSocketAddress server, Duration readTimeout, boolean caller,
                              int hangupAt) {
        this.rnd = rnd;
        this.server = server;
        this.readTimeout = readTimeout;
        this.caller = caller;
        this.hangupAt = hangupAt;
    }

    /** The caller's connection to the server's {@code twiml} script. */
    FakeAsterisk call(String uniqueId) {
        return new FakeAsterisk(this).env("uniqueid", uniqueId).env("channel", "PJSIP/sipp-" + uniqueId)
                .readTimeout(readTimeout);
    }

    @Override
    public String apply(String cmd) {
        int index = count++;
        List<String> w = AsteriskParsing.agiWords(cmd);
        String head = String.join(" ", w.subList(0, Math.min(2, w.size())));
        if (!gone && index == hangupAt) return hangUpOn(head, w);
        if (gone) return dead(head, w);
        return switch (head) {
            case "GET FULL" -> read(w.get(w.size() - 1));
            case "SET VARIABLE" -> set(w);
            case "ANSWER" -> {
                answered = true;
                yield "200 result=0";
            }
            case "STREAM FILE" -> "200 result=" + key(w.size() > 3 ? w.get(3) : "", 3) + " endpos=8000";
            case "WAIT FOR" -> "200 result=" + key("0123456789*#", 3);
            case "RECORD FILE" -> record(w);
            case "EXEC Dial" -> dial(w.get(2), true);
            case "EXEC ConfBridge" -> confBridge();
            case "EXEC MixMonitor" -> {
                mixMonitorFile = AsteriskParsing.appArgs(w.get(2), ',').args().get(0).value();
                yield "200 result=0";
            }
            case "EXEC PJSIPHangup", "EXEC Hangup" -> {
                gone = true;
                yield "200 result=-1\nHANGUP";
            }
            case "EXEC" -> "200 result=0"; // EXEC with no application at all
            case "CHANNEL STATUS" -> "200 result=6";
            case "HANGUP" -> {
                gone = true;
                yield "200 result=1";
            }
            case "NOOP" -> "200 result=0";
            default -> head.startsWith("EXEC ") ? "200 result=0" : "510 Invalid or unknown command";
        };
    }

    /** The caller hangs up during this command: its reply says so (or it is refused), the channel is dead. */
    private String hangUpOn(String head, List<String> w) {
        gone = true;
        callerHungUp = true;
        if (head.equals("EXEC Dial")) { // the legs were rung, then cancelled
            dial(w.get(2), false);
            status = "CANCEL";
        }
        return switch (head) {
            case "STREAM FILE" -> "200 result=-1 endpos=0\nHANGUP";
            case "RECORD FILE" -> "200 result=-1 (hangup) endpos=0\nHANGUP";
            case "GET FULL" -> read(w.get(w.size() - 1)) + "\nHANGUP";
            case "SET VARIABLE" -> "200 result=1\nHANGUP";
            case "WAIT FOR", "ANSWER" -> "200 result=-1\nHANGUP";
            default -> head.startsWith("EXEC ") ? "200 result=-1\nHANGUP" : DEAD;
        };
    }

    /** After a hangup: what res_agi allows on a dead channel still answers; the rest is 511. */
    private String dead(String head, List<String> w) {
        return switch (head) {
            case "GET FULL" -> read(w.get(w.size() - 1));
            case "SET VARIABLE" -> "200 result=1";
            case "NOOP" -> "200 result=0";
            default -> head.startsWith("EXEC ") ? "200 result=-1" : DEAD;
        };
    }

    /**
     * ConfBridge: how this participant left; with a recording, the file under its final name, as Asterisk's
     * record_command leaves it when the conference (this participant's alone) ends.
     */
    private String confBridge() {
        confBridgeResult = pick("HANGUP", "KICKED", "DTMF", "TIMEOUT", "FAILED", "");
        if (conferenceRecording != null && !confBridgeResult.equals("FAILED")) {
            wav(conferenceRecording.replace(".part.wav", ".wav"));
        }
        conferenceRecording = null;
        return "200 result=0";
    }

    private void wav(String file) {
        try {
            Path p = Path.of(file);
            Files.createDirectories(p.getParent());
            TestWavs.write(p, TestWavs.tone(0.3 + rnd.nextInt(3), 440));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String set(List<String> w) {
        if (w.size() == 4 && w.get(2).equals("CONFBRIDGE(bridge,record_file)")) conferenceRecording = w.get(3);
        if (!caller && w.size() == 4 && w.get(2).equals("MASTER_CHANNEL(TWIML_DIAL_REFUSED)")) {
            parent.refusedByLeg = true;
        }
        return "200 result=1";
    }

    /** A key from {@code keys} one time in {@code oneIn}, else none; as Asterisk's {@code result=<ascii>}. */
    private int key(String keys, int oneIn) {
        if (keys.isEmpty() || rnd.nextInt(oneIn) != 0) return 0;
        return keys.charAt(rnd.nextInt(keys.length()));
    }

    private String record(List<String> w) {
        if (w.size() < 5) return "200 result=-1 (writefile) endpos=0";
        if (rnd.nextInt(3) > 0) wav(w.get(2) + ".wav"); // Asterisk wrote something (the media folder is the host's)
        int key = key(w.get(4), 2);
        return key != 0 ? "200 result=" + key + " (dtmf) endpos=8000" : "200 result=0 (timeout) endpos=8000";
    }

    /** GET FULL VARIABLE: the INVITE, Dial's and ConfBridge's and Transfer's results, an answered leg's reads. */
    private String read(String expression) {
        if (expression.startsWith("${CHANNEL(pjsip,request_uri)}")) return invite();
        if (expression.startsWith("${MASTER_CHANNEL(TWIML_DIAL_LEGS)}")) {
            return "200 result=1 (" + parent.legs + SEP + "c" + rnd.nextInt(9) + "@fake" + SEP
                    + String.join(",", pickSome(X_NAMES)) + ")";
        }
        if (expression.startsWith("${PJSIP_RESPONSE_HEADER(") || expression.startsWith("${PJSIP_HEADER(")) {
            int terms = expression.split(Pattern.quote(SEP), -1).length;
            List<String> values = new ArrayList<>();
            for (int i = 0; i < terms; i++) values.add(pick(X_VALUES));
            return "200 result=1 (" + String.join(SEP, values) + ")";
        }
        if (expression.equals(AgiDialer.STATUS_EXPRESSION)) {
            String seconds = status.equals("ANSWER") ? Integer.toString(1 + rnd.nextInt(100)) : "";
            return "200 result=1 (" + status + "|" + seconds + "|" + peer + "|" + (refusedByLeg ? "1" : "") + "|"
                    + legs + ")";
        }
        if (expression.startsWith("${HANGUPCAUSE(")) {
            List<String> causes = new ArrayList<>();
            for (int i = 0; i < legCount; i++) {
                causes.add(pick("SIP 486 Busy Here", "SIP 180 Ringing", "SIP 200 OK", "", "SIP 503 Unavailable",
                        "SIP 404 Not Found", "SIP 487 Request Terminated"));
            }
            return "200 result=1 (" + String.join("|", causes) + ")";
        }
        return switch (expression) {
            case "${CALLERID(num)}" -> "200 result=1 (alice)";
            case "${CONFBRIDGE_RESULT}" -> {
                if (confBridgeResult.equals("HANGUP")) { // the caller hung up inside ConfBridge: the channel is dead
                    gone = true;
                    callerHungUp = true;
                }
                yield "200 result=1 (" + confBridgeResult + ")";
            }
            case "${TRANSFERSTATUS}|${TRANSFERSTATUSPROTOCOL}" -> "200 result=1 (" + pick("SUCCESS|", "FAILURE|486",
                    "FAILURE|1", "FAILURE|403", "UNSUPPORTED|") + ")";
            default -> "200 result=0";
        };
    }

    /** The INVITE read in one round trip, with X- headers whose names and values are hostile too. */
    private String invite() {
        List<String> names = pickSome(X_NAMES);
        String[] values = new String[Math.min(names.size(), InviteReader.PREFETCH)];
        for (int i = 0; i < values.length; i++) values[i] = pick(X_VALUES);
        return FastAgiServerTest.inviteReply(String.join(",", names), "", values);
    }

    /**
     * EXEC Dial: picks how it ends; when it may be answered, is answered and names an answered-leg routine, plays
     * that leg's session first. The reads after it get the legs and the status.
     */
    private String dial(String data, boolean mayAnswer) {
        AsteriskParsing.AppArgs a = AsteriskParsing.appArgs(data, ',');
        int targets = a.args().isEmpty() ? 0 : a.args().get(0).value().split("&", -1).length;
        legCount = targets > 1 && rnd.nextInt(5) == 0 ? targets - 1 : targets; // a leg Asterisk could not create
        StringBuilder list = new StringBuilder();
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < legCount; i++) {
            String channel = String.format("PJSIP/trunk-%08x", ++legSerial);
            channels.add(channel);
            list.append(channel).append("=c").append(legSerial).append("@fake|");
        }
        legs = list.toString();
        status = channels.isEmpty() ? "CHANUNAVAIL"
                : pick("ANSWER", "ANSWER", "ANSWER", "BUSY", "NOANSWER", "CHANUNAVAIL", "CONGESTION", "CANCEL", "");
        if (!mayAnswer && status.equals("ANSWER")) status = "CANCEL";
        peer = "";
        refusedByLeg = false;
        if (mixMonitorFile != null && status.equals("ANSWER") && mixMonitorFile.endsWith(".wav")) wav(mixMonitorFile);
        mixMonitorFile = null;
        if (status.equals("ANSWER")) {
            legChannel = channels.get(rnd.nextInt(channels.size()));
            peer = legChannel;
            Matcher m = ANSWERED_ROUTINE.matcher(a.args().size() > 2 ? a.args().get(2).raw() : "");
            if (m.find()) answeredLeg(m.group(1));
            bridged = !refusedByLeg;
        }
        return "200 result=0";
    }

    /** The twiml-answered session Asterisk opens on the answered leg before the bridge. */
    private void answeredLeg(String token) {
        PlausibleAsterisk leg = new PlausibleAsterisk(rnd, server, readTimeout, false, -1);
        leg.parent = this;
        FakeAsterisk session = new FakeAsterisk(leg).env("network_script", AgiAnsweredLeg.SCRIPT)
                .env("request", "agi://127.0.0.1:4573/" + AgiAnsweredLeg.SCRIPT).env("arg_1", token)
                .env("channel", legChannel).env("uniqueid", "leg-" + legSerial).env("context", "twiml-dial-answered")
                .env("extension", "s").env("priority", "1").readTimeout(readTimeout);
        legSessions.add(session);
        try {
            session.run(server);
        } catch (IOException e) {
            throw new UncheckedIOException("the answered leg's AGI session", e);
        }
    }

    private List<String> pickSome(String[] xs) {
        List<String> out = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) out.add(pick(xs));
        return out;
    }

    private String pick(String... xs) {
        return xs[rnd.nextInt(xs.length)];
    }
}
