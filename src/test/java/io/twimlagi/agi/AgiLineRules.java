package io.twimlagi.agi;

import io.twimlagi.agi.AsteriskParsing.AppArg;
import io.twimlagi.agi.AsteriskParsing.AppArgs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * What every AGI command line the server sends must look like, checked on the line as Asterisk 22 reads it (only
 * LF ends it, {@link AsteriskParsing} splits it). Whitelists, not blacklists: each command has a fixed shape, and
 * the only places where text from a TwiML document (or a SIP peer) may appear are argument positions that were
 * escaped for the parser that reads them. The rules:
 * <ul>
 *   <li>one command: no CR, NUL or other control character (C0, DEL, C1, U+2028/9; the only exception is
 *       InviteReader's trusted separator RS|RS inside GET FULL VARIABLE), shorter than {@link AgiText#MAX_COMMAND_BYTES}
 *       bytes, the exact number of words;</li>
 *   <li>EXEC: a known application, whose argument string {@code __ast_app_separate_args} splits into exactly the
 *       arguments we meant, every argument that can carry input escaped ({@code raw == AgiText.appArg(value)}),
 *       Dial targets without an {@code &} of their own and of a dial-string template;</li>
 *   <li>GET FULL VARIABLE (Asterisk evaluates it): only {@code ${NAME(args)}} terms of the variables and functions
 *       the server reads, with arguments of plain characters, joined by our separators: no input text, never
 *       {@code $[} or a nested {@code ${};</li>
 *   <li>SET VARIABLE: a known variable or function name (a name ending in {@code )} writes a function); values of
 *       a fixed form, except a SIP header value, which is the app's text: Asterisk stores a SET VARIABLE value
 *       verbatim (res_agi {@code handle_setvariable} → {@code pbx_builtin_setvar_helper}, no substitution) and
 *       chan_pjsip copies it into the INVITE, as Twilio sends the header as written;</li>
 *   <li>STREAM FILE and RECORD FILE: paths of ours (hash or fixed names under the media folder).</li>
 * </ul>
 */
final class AgiLineRules {
    static final String SEP = InviteReader.SEP;
    /** The variables and functions the server reads; their arguments are names, never text from input. */
    private static final String READS = "DIALSTATUS|ANSWEREDTIME|DIALEDPEERNAME|DIALEDPEERNUMBER|TWIML_DIAL_REFUSED"
            + "|TWIML_DIAL_LEGS|CONFBRIDGE_RESULT|TRANSFERSTATUS|TRANSFERSTATUSPROTOCOL|CALLERID|CHANNEL|MASTER_CHANNEL"
            + "|HANGUPCAUSE|PJSIP_HEADERS|PJSIP_HEADER|PJSIP_RESPONSE_HEADERS|PJSIP_RESPONSE_HEADER";
    private static final Pattern TERM = Pattern.compile("\\$\\{(" + READS + ")(\\([A-Za-z0-9_,*./@:+~!%`'-]*\\))?}");
    private static final Pattern TERMS = Pattern.compile(TERM + "((\\||" + Pattern.quote(SEP) + ")" + TERM + ")*");
    private static final String TOKEN = "[A-Za-z0-9.!%*_+`'~-]{1,128}";
    private static final Pattern SET_NAME = Pattern.compile("TWIML_DIAL_LEGS|TWIML_DIAL_REFUSED|GOSUB_RESULT"
            + "|MASTER_CHANNEL\\(TWIML_DIAL_REFUSED\\)|CALLERID\\(num\\)|CHANNEL\\(tonezone\\)|TIMEOUT\\(absolute\\)"
            + "|PJSIP_INHERITABLE_HEADER\\((add|remove)," + TOKEN + "\\)|CONFBRIDGE\\((bridge|user|menu),[a-z_*#]+\\)");
    /** Fixed-form values by variable (the header values are checked apart). */
    private static final Map<String, Pattern> SET_VALUE = Map.of(
            "TWIML_DIAL_LEGS", Pattern.compile(""),
            "TWIML_DIAL_REFUSED", Pattern.compile("1?"),
            "GOSUB_RESULT", Pattern.compile("CONTINUE"),
            "MASTER_CHANNEL(TWIML_DIAL_REFUSED)", Pattern.compile("1"),
            "CALLERID(num)", Pattern.compile("[A-Za-z0-9+_.-]{0,64}"),
            "CHANNEL(tonezone)", Pattern.compile("[a-z]{2}(-old)?"),
            "TIMEOUT(absolute)", Pattern.compile("\\d{1,9}"));
    /** ConfBridge profile values: numbers, yes/no, our paths and class names, the rename command ($f, no brace). */
    private static final Pattern CONFBRIDGE_VALUE = Pattern.compile("[A-Za-z0-9_./;=: $-]*");
    private static final Pattern DTMF = Pattern.compile("[0-9A-D#*wW]+");
    private static final Pattern KEYS = Pattern.compile("[0-9A-D#*]*");
    private static final Pattern NUMBER_TARGET = Pattern.compile("PJSIP/\\+?[0-9A-Za-z*#]{1,64}@trunk");
    private static final Pattern CLIENT_TARGET = Pattern.compile("PJSIP/[A-Za-z0-9.!%*_+`'~-]{1,256}");
    private static final Pattern SIP_TARGET = Pattern.compile(
            "PJSIP/(trunk|twiml-auth-[0-9a-f]{16})/[sS][iI][pP][sS]?:[A-Za-z0-9\\-_.!~*'%+=;:@\\[\\]]{1,250}");
    private static final Pattern DIAL_OPTIONS = Pattern.compile("g(b\\(twiml-dial-leg\\^s\\^1\\)"
            + "|b\\(twiml-dial-leg\\^watch\\^1\\([A-Za-z0-9]{1,40}\\)\\))L\\(\\d+\\)H?r?"
            + "(U\\(twiml-dial-answered\\^[A-Za-z0-9]{1,40}\\))?");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.-]{1,80}");
    private static final Pattern REFER_TO = Pattern.compile("PJSIP/<[sS][iI][pP][sS]?:[^<>\"\\s]+>");
    private static final Set<String> MSET_NAMES = Set.of("TWIML_CALLSID", "TWIML_URL", "TWIML_VERB");

    private final String mediaDir;
    private final Pattern media;
    private final Pattern recording;
    private final Pattern mixMonitorFile;

    /** @param asteriskMediaDir the media folder as Asterisk sees it (asterisk_media_dir) */
    AgiLineRules(String asteriskMediaDir) {
        this.mediaDir = asteriskMediaDir;
        String dir = Pattern.quote(asteriskMediaDir);
        media = Pattern.compile(dir + "/(tts/[0-9a-f]{40}|play/[0-9a-f]{40}|tones/[a-z0-9-]{1,40})");
        recording = Pattern.compile(dir + "/recordings/RE[0-9a-f]{32}");
        mixMonitorFile = Pattern.compile(dir + "/recordings/RE[0-9a-f]{32}\\.(wav|raw)");
    }

    String mediaDir() {
        return mediaDir;
    }

    /** Everything wrong with one command line; empty when it is fine. */
    List<String> check(String line) {
        List<String> problems = new ArrayList<>();
        BiConsumer<Boolean, String> require = (ok, what) -> {
            if (!ok) problems.add(what);
        };
        int bytes = line.getBytes(StandardCharsets.UTF_8).length;
        require.accept(bytes <= AgiText.MAX_COMMAND_BYTES, "longer than Asterisk's line: " + bytes + " bytes");
        String visible = line.startsWith("GET FULL VARIABLE ") ? line.replace(SEP, "") : line;
        for (int i = 0; i < visible.length(); i++) {
            char c = visible.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                problems.add("a control character: U+" + String.format("%04X", (int) c) + " at " + i);
                break;
            }
        }
        List<String> w = AsteriskParsing.agiWords(line);
        require.accept(w.size() < AsteriskParsing.MAX_AGI_WORDS, "more words than res_agi's MAX_ARGS: " + w.size());
        String head = String.join(" ", w.subList(0, Math.min(w.size(), 2)));
        switch (head) {
            case "ANSWER", "HANGUP", "NOOP" -> require.accept(w.size() == 1, "extra words: " + w);
            case "CHANNEL STATUS" -> require.accept(w.size() == 2, "extra words: " + w);
            case "WAIT FOR" -> require.accept(w.size() == 4 && w.get(2).equals("DIGIT")
                    && w.get(3).matches("-?\\d{1,10}"), "not WAIT FOR DIGIT <ms>: " + w);
            case "STREAM FILE" -> {
                require.accept(w.size() == 4, "STREAM FILE with other than 4 words: " + w.size());
                if (w.size() == 4) {
                    require.accept(media.matcher(w.get(2)).matches(), "STREAM FILE of a path not ours: " + w.get(2));
                    require.accept(KEYS.matcher(w.get(3)).matches(), "STREAM FILE stop keys not keys: " + w.get(3));
                }
            }
            case "RECORD FILE" -> {
                require.accept(w.size() == 8 || (w.size() == 9 && w.get(7).equals("BEEP")),
                        "RECORD FILE with other than 8 or 9 words: " + w.size());
                if (w.size() >= 8) {
                    require.accept(recording.matcher(w.get(2)).matches(), "RECORD FILE to a path not ours: " + w.get(2));
                    require.accept(w.get(3).equals("wav") && KEYS.matcher(w.get(4)).matches()
                            && w.get(5).matches("-?\\d{1,10}") && w.get(6).matches("\\d{1,10}")
                            && w.get(w.size() - 1).matches("s=\\d{1,10}"), "RECORD FILE arguments not ours: " + w);
                }
            }
            case "GET FULL" -> {
                require.accept(w.size() == 4 && w.get(2).equals("VARIABLE"), "not GET FULL VARIABLE <expression>: " + w);
                if (w.size() == 4) {
                    require.accept(TERMS.matcher(w.get(3)).matches(), "an expression not of ours: " + w.get(3));
                }
            }
            case "SET VARIABLE" -> {
                require.accept(w.size() == 4, "SET VARIABLE with other than 4 words: " + w.size());
                if (w.size() == 4) setVariable(w.get(2), w.get(3), problems);
            }
            case "EXEC MSet", "EXEC SendDTMF", "EXEC Dial", "EXEC Transfer", "EXEC PJSIPHangup", "EXEC Hangup",
                 "EXEC MixMonitor", "EXEC StopMixMonitor", "EXEC ConfBridge", "EXEC ConfKick" -> {
                require.accept(w.size() == 3, "EXEC with other than 3 words: " + w.size());
                if (w.size() == 3) exec(w.get(1), w.get(2), problems);
            }
            default -> problems.add("an unexpected command: " + head);
        }
        return problems;
    }

    private void setVariable(String name, String value, List<String> problems) {
        if (!SET_NAME.matcher(name).matches()) {
            problems.add("SET VARIABLE of a name not ours: " + name);
            return;
        }
        Pattern fixed = SET_VALUE.get(name);
        boolean ok;
        if (fixed != null) {
            ok = fixed.matcher(value).matches();
        } else if (name.startsWith("CONFBRIDGE(")) {
            ok = CONFBRIDGE_VALUE.matcher(value).matches() && !value.contains("${") && !value.contains("$[");
        } else if (name.startsWith("PJSIP_INHERITABLE_HEADER(remove,")) {
            ok = value.isEmpty();
        } else {
            ok = value.length() <= 1023; // a SIP header value: the app's text, stored verbatim (see the class comment)
        }
        if (!ok) problems.add("SET VARIABLE " + name.replaceAll(",.*", ",…)") + " to an unexpected value: " + value);
    }

    private void exec(String app, String data, List<String> problems) {
        AppArgs parsed = AsteriskParsing.appArgs(data, ',');
        if (parsed.readsPastTheEnd()) problems.add("a trailing lone backslash, Asterisk reads past the end: " + data);
        List<AppArg> a = parsed.args();
        BiConsumer<Boolean, String> require = (ok, what) -> {
            if (!ok) problems.add(app + " " + what + ": " + a);
        };
        switch (app) {
            case "MSet" -> {
                require.accept(a.size() == MSET_NAMES.size(), "not " + MSET_NAMES.size() + " assignments");
                for (AppArg arg : a) {
                    int eq = arg.value().indexOf('=');
                    String name = eq < 0 ? "" : arg.value().substring(0, eq);
                    String value = eq < 0 ? "" : arg.value().substring(eq + 1);
                    require.accept(MSET_NAMES.contains(name), "assigns a name not ours");
                    require.accept(escaped(name + "=", value, arg.raw()), "with an unescaped value");
                    if (name.equals("TWIML_CALLSID")) require.accept(value.matches("CA[0-9a-f]{32}"), "CallSid");
                    if (name.equals("TWIML_VERB")) require.accept(value.matches("[A-Z][A-Za-z]{1,20}"), "verb name");
                }
            }
            case "SendDTMF" -> require.accept(a.size() == 1 && escaped("", a.get(0).value(), a.get(0).raw())
                    && DTMF.matcher(a.get(0).value()).matches(), "not one escaped digit string");
            case "Transfer" -> require.accept(a.size() == 1 && escaped("", a.get(0).value(), a.get(0).raw())
                    && REFER_TO.matcher(a.get(0).value()).matches(), "not one escaped PJSIP/<uri>");
            case "PJSIPHangup" -> require.accept(a.size() == 1 && a.get(0).raw().matches("[4-6]\\d\\d"), "not a code");
            case "Hangup" -> require.accept(a.size() == 1 && a.get(0).raw().matches("\\d{1,3}"), "not a cause");
            case "MixMonitor" -> require.accept((a.size() == 1 || a.size() == 2)
                    && mixMonitorFile.matcher(a.get(0).raw()).matches()
                    && (a.size() == 1 || a.get(1).raw().matches("[bDa]{1,3}")), "not <our file>[,options]");
            case "StopMixMonitor" -> require.accept(a.isEmpty(), "arguments");
            case "ConfBridge" -> require.accept(a.size() == 1 && escaped("", a.get(0).value(), a.get(0).raw())
                    && ROOM.matcher(a.get(0).value()).matches(), "not one escaped room");
            case "ConfKick" -> require.accept(a.size() == 2 && ROOM.matcher(a.get(0).raw()).matches()
                    && a.get(1).raw().equals("all"), "not <room>,all");
            case "Dial" -> dial(a, require);
            default -> problems.add("an unexpected application: " + app);
        }
    }

    /** Dial(targets,timeout,options): every target escaped, from a template, with no & of its own. */
    private static void dial(List<AppArg> a, BiConsumer<Boolean, String> require) {
        require.accept(a.size() == 3, "not targets,timeout,options");
        if (a.size() != 3) return;
        // app_dial splits the first argument's value at every & (strsep): & is never escaped, so the raw text
        // splits at the same places
        String[] raw = a.get(0).raw().split("&", -1);
        String[] value = a.get(0).value().split("&", -1);
        require.accept(raw.length == value.length, "an & inside an escaped target");
        for (int i = 0; i < Math.min(raw.length, value.length); i++) {
            String t = value[i];
            require.accept(escaped("", t, raw[i]), "with an unescaped target");
            require.accept(NUMBER_TARGET.matcher(t).matches() || CLIENT_TARGET.matcher(t).matches()
                    || SIP_TARGET.matcher(t).matches(), "with a target of no template");
        }
        require.accept(a.get(1).raw().matches("\\d{1,4}"), "with a bad timeout");
        require.accept(DIAL_OPTIONS.matcher(a.get(2).raw()).matches(), "with options not ours");
    }

    /** True when {@code raw} is {@code prefix} + {@code value} escaped for the argument parser, and nothing else. */
    private static boolean escaped(String prefix, String value, String raw) {
        return raw.equals(prefix + AgiText.appArg(value));
    }
}
