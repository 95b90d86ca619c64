package io.twimlagi.agi;

import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialRecording;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AGI side of {@code <Dial>}: every command a Dial sends is built here.
 * <ol>
 *   <li>{@code SET VARIABLE TWIML_DIAL_LEGS ""} (filled by the pre-dial handler, see below);</li>
 *   <li>with a callerId: read {@code CALLERID(num)} to restore it afterwards, then set it (the legs' From user);</li>
 *   <li>one {@code SET VARIABLE "PJSIP_INHERITABLE_HEADER(add,<Name>)" "<value>"} per SIP header (Asterisk 22.9+;
 *       the outbound PJSIP channels inherit them onto their INVITE);</li>
 *   <li>{@code EXEC Dial "<legs joined by &>,<timeout s>,gb(twiml-dial-leg^s^1)L(<ms>)[H]"}: {@code g} returns to
 *       us when the callee hangs up; the {@code b()} pre-dial handler in {@code dialplan/twiml.conf} appends each
 *       outbound channel's {@code name=Call-ID|} to {@code TWIML_DIAL_LEGS} on the caller
 *       ({@code MASTER_CHANNEL()}); with a {@code watchToken}, {@code b(twiml-dial-leg^watch^1(<token>))} also calls
 *       the server ({@code agi://.../twiml-leg}) with each leg's Call-ID and dialed target before its INVITE;</li>
 *   <li>{@code GET FULL VARIABLE "${DIALSTATUS}|${ANSWEREDTIME}|${DIALEDPEERNAME}|${TWIML_DIAL_LEGS}"}, then one
 *       {@code GET FULL VARIABLE} with {@code ${HANGUPCAUSE(<leg>,tech)}} of every leg ({@code SIP 486 Busy Here});</li>
 *   <li>with a recording: {@code EXEC MixMonitor} before the Dial, {@code EXEC StopMixMonitor} after it, which
 *       closes the file before it replies ({@code recordingClosed});</li>
 *   <li>the headers are removed again and the caller ID restored, so a later Dial starts clean.</li>
 * </ol>
 * A caller hanging up during the Dial makes EXEC reply {@code result=-1}; the reads after it are allowed on a dead
 * channel, so the result is still complete ({@code callerHungUp}). Only text validated by the verbs package
 * (dial strings, tokens) and Asterisk's own channel names (checked again) enter an expression.
 */
public final class AgiDialer {
    private static final Logger log = LoggerFactory.getLogger(AgiDialer.class);
    /** The pre-dial handler's context (dialplan/twiml.conf). */
    public static final String LEG_HANDLER = "twiml-dial-leg^s^1";
    /** The same pre-dial handler that also calls the server back with the leg's Call-ID (ringing callbacks). */
    public static final String WATCHED_LEG_HANDLER = "twiml-dial-leg^watch^1";
    /** The routine Asterisk runs on the leg that answers, before the bridge (dialplan/twiml.conf). */
    public static final String ANSWERED_HANDLER = "twiml-dial-answered";
    private static final Pattern ANSWERED_TOKEN = Pattern.compile("[A-Za-z0-9]{1,40}");
    private static final Pattern TONE_ZONE = Pattern.compile("[a-z]{2}(-old)?");
    private static final Pattern RECORD_FILE = Pattern.compile("/[A-Za-z0-9_./-]{1,250}\\.(wav|raw)");
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9_]+/[A-Za-z0-9_.@:+~-]+");
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]{1,128}");
    private static final Pattern SIP_CAUSE = Pattern.compile("SIP (\\d{3})\\b.*");

    private final BlockingAppSession session;
    private final String channelName;

    public AgiDialer(AgiChannel channel) {
        this.session = new BlockingAppSession(channel);
        this.channelName = channel.getName();
    }

    /** The SET VARIABLE commands before the Dial (headers of every leg, first value wins per name). */
    public static List<String[]> headerVariables(DialRequest request, String action) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (DialLeg leg : request.legs()) {
            leg.headers().forEach(headers::putIfAbsent);
        }
        List<String[]> vars = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (!TOKEN.matcher(name).matches()) throw new IllegalArgumentException("header name not a token: " + name);
            vars.add(new String[] {"PJSIP_INHERITABLE_HEADER(" + action + "," + name + ")",
                    action.equals("add") ? AgiText.clean(value) : ""});
        });
        return vars;
    }

    /** The Dial application's argument string (escaped for Asterisk's argument parser). */
    public static String dialArgs(DialRequest request) {
        StringBuilder targets = new StringBuilder();
        for (DialLeg leg : request.legs()) {
            String s = leg.dialString();
            if (s.isEmpty() || s.indexOf('&') >= 0) throw new IllegalArgumentException("bad dial string: " + s);
            if (targets.length() > 0) targets.append('&');
            targets.append(AgiText.appArg(s));
        }
        StringBuilder options = new StringBuilder("g");
        if (request.watchToken() != null) {
            if (!ANSWERED_TOKEN.matcher(request.watchToken()).matches()) {
                throw new IllegalArgumentException("bad token " + request.watchToken());
            }
            options.append("b(").append(WATCHED_LEG_HANDLER).append('(').append(request.watchToken()).append("))");
        } else {
            options.append("b(").append(LEG_HANDLER).append(')');
        }
        options.append("L(").append(Math.max(1000, request.timeLimit().toMillis())).append(')');
        if (request.hangupOnStar()) options.append('H');
        if (request.ringTone() != null) options.append('r'); // our ringback (CHANNEL(tonezone)), not early media
        if (request.answeredToken() != null) {
            if (!ANSWERED_TOKEN.matcher(request.answeredToken()).matches()) {
                throw new IllegalArgumentException("bad token " + request.answeredToken());
            }
            options.append("U(").append(ANSWERED_HANDLER).append('^').append(request.answeredToken()).append(')');
        }
        return targets + "," + Math.max(1, request.timeout().toSeconds()) + "," + options;
    }

    /**
     * MixMonitor's arguments: {@code b} records only while bridged (record-from-answer); {@code D} writes two
     * interleaved channels, what the caller says and what it hears (the callee), as raw 16-bit 8 kHz.
     */
    public static String mixMonitorArgs(DialRecording r) {
        if (!RECORD_FILE.matcher(r.asteriskFile()).matches() || r.asteriskFile().contains("..")
                || r.dual() != r.asteriskFile().endsWith(".raw")) {
            throw new IllegalArgumentException("bad recording file " + r.asteriskFile());
        }
        String options = (r.fromRinging() ? "" : "b") + (r.dual() ? "D" : "") + (r.append() ? "a" : "");
        return r.asteriskFile() + (options.isEmpty() ? "" : "," + options);
    }

    /** The first read after the Dial. */
    public static final String STATUS_EXPRESSION = "${DIALSTATUS}|${ANSWEREDTIME}|${DIALEDPEERNAME}|${TWIML_DIAL_REFUSED}"
            + "|${TWIML_DIAL_LEGS}";

    /** The second read: the technology cause of each leg, in order. */
    public static String causesExpression(List<String> channels) {
        StringBuilder b = new StringBuilder();
        for (String c : channels) {
            if (!CHANNEL_NAME.matcher(c).matches()) throw new IllegalArgumentException("odd channel name " + c);
            if (b.length() > 0) b.append('|');
            b.append("${HANGUPCAUSE(").append(c).append(",tech)}");
        }
        return b.toString();
    }

    /** One outbound channel: its name and SIP Call-ID (empty when unknown). */
    public record Leg(String channel, String callId) {
    }

    /** Parses {@code name=callid|name=callid|} (the pre-dial handler's list), skipping malformed entries. */
    public static List<Leg> parseLegs(String list) {
        List<Leg> legs = new ArrayList<>();
        if (list == null) return legs;
        for (String item : list.split("\\|")) {
            int eq = item.indexOf('=');
            String name = eq < 0 ? item : item.substring(0, eq);
            if (!CHANNEL_NAME.matcher(name).matches()) continue;
            legs.add(new Leg(name, eq < 0 ? "" : item.substring(eq + 1)));
        }
        return legs;
    }

    /** {@code SIP 486 Busy Here} → 486; anything else → 0. */
    public static int sipCode(String techCause) {
        if (techCause == null) return 0;
        Matcher m = SIP_CAUSE.matcher(techCause.strip());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Builds the result from the two reads. The deciding leg is the bridged one; otherwise the first
     * {@code <Sip>} leg with a SIP code, else the first leg with one. Legs map to the request's legs by order
     * (app_dial creates and pre-dials them in that order) when every leg got a channel. The deciding leg's code is
     * its last response as Asterisk recorded it (a 1xx for a leg cancelled while it rang).
     */
    public static DialResult result(DialRequest request, String status, String answered, String peer,
                                    List<Leg> legs, List<String> causes, boolean callerHungUp) {
        int seconds = 0;
        try {
            seconds = answered == null || answered.isBlank() ? 0 : Integer.parseInt(answered.strip());
        } catch (NumberFormatException ignored) {
            // not a number: leave 0
        }
        boolean anyResponse = causes.stream().anyMatch(c -> sipCode(c) > 0);
        DialOutcome outcome = outcome(status, callerHungUp, !legs.isEmpty() && !anyResponse);
        boolean answeredCall = outcome == DialOutcome.ANSWERED;
        boolean mapped = legs.size() == request.legs().size();
        List<Integer> legCodes = new ArrayList<>();
        if (mapped) for (int i = 0; i < legs.size(); i++) legCodes.add(i < causes.size() ? sipCode(causes.get(i)) : 0);
        int chosen = -1;
        if (peer != null && !peer.isBlank()) {
            for (int i = 0; i < legs.size(); i++) if (legs.get(i).channel().equals(peer.strip())) chosen = i;
        }
        if (chosen < 0 && !answeredCall) {
            for (int pass = 0; pass < 2 && chosen < 0; pass++) {
                for (int i = 0; i < legs.size() && chosen < 0; i++) {
                    boolean sip = mapped ? request.legs().get(i).sip() : anySip(request);
                    int code = i < causes.size() ? sipCode(causes.get(i)) : 0;
                    if (code > 0 && (pass == 1 || sip)) chosen = i;
                }
            }
        }
        if (chosen < 0) {
            boolean sip = anySip(request) && (!mapped || request.legs().size() == 1);
            return new DialResult(outcome, seconds, answeredCall ? 200 : 0, sip,
                    legs.size() == 1 && !legs.get(0).callId().isEmpty() ? legs.get(0).callId() : null, callerHungUp,
                    request.legs().size() == 1 ? 0 : -1, legCodes);
        }
        Leg leg = legs.get(chosen);
        int code = answeredCall ? 200 : chosen < causes.size() ? sipCode(causes.get(chosen)) : 0;
        boolean sip = mapped ? request.legs().get(chosen).sip() : anySip(request);
        return new DialResult(outcome, seconds, code, sip, leg.callId().isEmpty() ? null : leg.callId(), callerHungUp,
                mapped ? chosen : -1, legCodes);
    }

    /**
     * Asterisk's DIALSTATUS in our words. No status at all means the caller left ({@code CANCEL}) or no channel
     * was made; NOANSWER without a single SIP response from any leg means nothing was reachable.
     */
    static DialOutcome outcome(String dialStatus, boolean callerHungUp, boolean noLegResponded) {
        String st = dialStatus == null ? "" : dialStatus.strip();
        if (st.isEmpty()) return callerHungUp ? DialOutcome.CANCELED : DialOutcome.UNAVAILABLE;
        return switch (st) {
            case "ANSWER" -> DialOutcome.ANSWERED;
            case "BUSY" -> DialOutcome.BUSY;
            case "NOANSWER" -> noLegResponded ? DialOutcome.NO_RESPONSE : DialOutcome.NO_ANSWER;
            case "CANCEL" -> DialOutcome.CANCELED;
            case "CONGESTION" -> DialOutcome.CONGESTION;
            case "CHANUNAVAIL" -> DialOutcome.UNAVAILABLE;
            default -> DialOutcome.FAILED;
        };
    }

    private static boolean anySip(DialRequest request) {
        return request.legs().stream().anyMatch(DialLeg::sip);
    }

    /**
     * Runs the whole Dial on the channel. One that does not fit in AGI lines (ten long URIs whose brackets double
     * when escaped) fails at once, as Asterisk would fail a Dial it cannot place: nothing is sent.
     */
    public DialResult dial(DialRequest request) {
        // everything is validated before the first command, so a refusal leaves the channel as it was
        List<String[]> add = headerVariables(request, "add");
        String dialArgs = dialArgs(request);
        String mixMonitorArgs = request.recording() == null ? null : mixMonitorArgs(request.recording());
        if (request.ringTone() != null && !TONE_ZONE.matcher(request.ringTone()).matches()) {
            throw new IllegalArgumentException("bad tone zone " + request.ringTone());
        }
        boolean fits = AgiText.fits(new ExecCommand("Dial", dialArgs).buildCommand());
        for (String[] v : add) fits &= AgiText.fits(new SetVariableCommand(v[0], v[1]).buildCommand());
        if (!fits) {
            log.error("{} Dial of {} legs not placed: its AGI commands would be longer than {} bytes", channelName,
                    request.legs().size(), AgiText.MAX_COMMAND_BYTES);
            return new DialResult(DialOutcome.FAILED, 0, 0, anySip(request), null, false, -1, List.of());
        }
        set("TWIML_DIAL_LEGS", "");
        set("TWIML_DIAL_REFUSED", "");
        String savedCallerId = null;
        if (request.callerId() != null) {
            savedCallerId = get("${CALLERID(num)}");
            set("CALLERID(num)", AgiText.clean(request.callerId()));
        }
        for (String[] v : add) set(v[0], v[1]);
        if (request.ringTone() != null) set("CHANNEL(tonezone)", request.ringTone());
        if (mixMonitorArgs != null) session.exec("MixMonitor", mixMonitorArgs);
        session.exec("Dial", dialArgs);
        // also on a hung-up channel; it closes the file before it returns (app_mixmonitor's guarantee), so its
        // reply is the event that the recording is complete. No reply (the AGI connection is gone): not known
        boolean recordingClosed = request.recording() != null && session.exec("StopMixMonitor", "") != null;
        DialResult read = read(request);
        DialResult result = read.after(read.refused(), recordingClosed);
        for (String[] h : headerVariables(request, "remove")) set(h[0], h[1]);
        if (savedCallerId != null) set("CALLERID(num)", AgiText.clean(savedCallerId));
        return result;
    }

    /**
     * How {@code request}'s Dial ended, read from this channel after it ran: by {@link #dial}, or by the dialplan
     * itself (a REST call's Dial half, {@link DialplanDial}, read in its {@code h} extension, where the channel is
     * already hung up: the reads still work there).
     */
    public DialResult dialed(DialRequest request) {
        return read(request);
    }

    private DialResult read(DialRequest request) {
        String[] v = split(get(STATUS_EXPRESSION), 5);
        boolean refused = "1".equals(v[3].strip());
        List<Leg> legs = parseLegs(v[4]);
        List<String> causes = new ArrayList<>();
        if (!legs.isEmpty()) {
            String all = get(causesExpression(legs.stream().map(Leg::channel).toList()));
            causes.addAll(List.of(split(all, legs.size())));
        }
        return result(request, v[0], v[1], v[2], legs, causes, session.callerGone()).after(refused, false);
    }

    private static String[] split(String s, int n) {
        String[] out = new String[n];
        String[] parts = s == null ? new String[0] : s.split("\\|", n);
        for (int i = 0; i < n; i++) out[i] = i < parts.length ? parts[i] : "";
        return out;
    }

    private void set(String name, String value) {
        session.set(name, value);
    }

    private String get(String expression) {
        return session.get(expression);
    }
}
