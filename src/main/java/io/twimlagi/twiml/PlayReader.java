package io.twimlagi.twiml;

import java.util.regex.Pattern;

/** Reads {@code <Play loop digits>url</Play>}. */
final class PlayReader {
    /** DTMF Twilio sends: digits, A-D, # and *, w/W = half/one second pause. */
    static final Pattern DTMF = Pattern.compile("[0-9A-D#*wW]+");

    private PlayReader() {}

    static Play read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "loop", "digits");
        int loop = a.integer("loop", 1, 0, Integer.MAX_VALUE, 13410);
        String digits = a.s("digits");
        if (digits != null && !DTMF.matcher(digits).matches()) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "invalid digits \"" + digits
                    + "\" on <Play> (allowed: 0-9 A-D # * w W); ignored");
            digits = null;
        }
        run.content(e, true);
        String url = e.text();
        if (url.isEmpty() && digits == null) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "<Play> has neither a URL nor digits");
        }
        return new Play(url, loop, digits, e.line);
    }
}
