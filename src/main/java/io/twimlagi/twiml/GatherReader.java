package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads {@code <Gather>} and its prompts (Say, Play without digits, Pause). */
final class GatherReader {
    private GatherReader() {}

    static Gather read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "action", "method", "input", "timeout", "finishOnKey", "numDigits",
                "actionOnEmptyResult", "speechTimeout", "speechModel", "language", "hints", "profanityFilter",
                "partialResultCallback", "partialResultCallbackMethod", "enhanced", "bargeIn", "maxSpeechTime",
                "debug");
        Set<Gather.Input> input = input(run, e, a);
        boolean auto = "auto".equalsIgnoreCase(a.s("timeout"));
        int timeout = auto ? 5 : a.integer("timeout", 5, 0, Integer.MAX_VALUE, 13313);
        String fok = a.s("finishOnKey");
        if (fok == null) {
            fok = "#";
        } else if (!fok.isEmpty() && !fok.matches("[0-9#*]")) {
            run.warn(e.line, 13310, "invalid finishOnKey \"" + fok
                    + "\" on <Gather> (one of 0-9 # * or empty); using \"#\"");
            fok = "#";
        }
        String st = a.s("speechTimeout");
        if (st != null && !st.equalsIgnoreCase("auto") && !st.matches("\\d{1,9}")) {
            run.warn(e.line, 13327, "invalid speechTimeout \"" + st + "\" on <Gather>; using timeout");
            st = null;
        } else if (st != null && st.equalsIgnoreCase("auto")) {
            st = "auto";
        }
        List<Verb> prompts = prompts(run, e);
        return new Gather(a.s("action"), a.method("method", 13312), input, timeout, auto, fok,
                a.optInt("numDigits", 1, Integer.MAX_VALUE, 13314),
                a.bool("actionOnEmptyResult", false, TwimlParser.W_SCHEMA), st, a.s("speechModel"),
                a.s("language", Say.DEFAULT_LANGUAGE), a.s("hints"),
                a.bool("profanityFilter", true, TwimlParser.W_SCHEMA), a.s("partialResultCallback"),
                a.method("partialResultCallbackMethod", TwimlParser.W_SCHEMA),
                a.bool("enhanced", false, TwimlParser.W_SCHEMA), a.bool("bargeIn", true, TwimlParser.W_SCHEMA),
                a.optInt("maxSpeechTime", 1, Integer.MAX_VALUE, TwimlParser.W_SCHEMA),
                a.bool("debug", false, TwimlParser.W_SCHEMA), prompts, e.line);
    }

    /** {@code input="dtmf speech"} (space or comma separated, any case); DTMF when none is valid. */
    private static Set<Gather.Input> input(ParseRun run, XmlNode.Element e, Attributes a) {
        Set<Gather.Input> input = new LinkedHashSet<>();
        String in = a.s("input");
        if (in != null) {
            for (String tok : in.split("[\\s,]+")) {
                if (tok.isEmpty()) continue;
                switch (tok.toLowerCase(Locale.ROOT)) {
                    case "dtmf" -> input.add(Gather.Input.DTMF);
                    case "speech" -> input.add(Gather.Input.SPEECH);
                    default -> run.warn(e.line, TwimlParser.W_SCHEMA,
                            "invalid input \"" + tok + "\" on <Gather>; ignored");
                }
            }
        }
        if (input.isEmpty()) input.add(Gather.Input.DTMF);
        return input;
    }

    private static List<Verb> prompts(ParseRun run, XmlNode.Element e) {
        List<Verb> prompts = new ArrayList<>();
        for (XmlNode k : e.kids) {
            if (k instanceof XmlNode.Text t) {
                if (!t.text().isBlank()) run.warn(t.line(), TwimlParser.W_SCHEMA, "text inside <Gather> is ignored");
                continue;
            }
            XmlNode.Element c = (XmlNode.Element) k;
            switch (c.name) {
                case "Say" -> prompts.add(SayReader.read(run, c, true));
                case "Pause" -> prompts.add(PauseReader.read(run, c));
                case "Play" -> {
                    Play p = PlayReader.read(run, c);
                    if (p.digits() != null) {
                        run.warn(c.line, 13320, "<Play digits> is not allowed inside <Gather> (skipped)");
                    } else {
                        prompts.add(p);
                    }
                }
                default -> run.misplaced(c, "Gather", 13320);
            }
        }
        return prompts;
    }
}
