package io.twimlagi.twiml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code <Say>}: voice, language, loop, and its text with SSML breaks (other SSML tags become text). */
final class SayReader {
    private static final Pattern VOICE = Pattern.compile(
            "man|woman|alice|(Polly|Google|Amazon|Azure|ElevenLabs)\\.[A-Za-z0-9._-]+");
    private static final Pattern BREAK_TIME = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)\\s*");
    private static final Set<String> SSML = Set.of("break", "emphasis", "lang", "p", "phoneme", "prosody", "s",
            "say-as", "sub", "w", "speak", "mark");

    private SayReader() {}

    /** {@code inGather}: Twilio's codes inside Gather differ (13321/13322 instead of 13511/13510). */
    static Say read(ParseRun run, XmlNode.Element e, boolean inGather) {
        Attributes a = run.attributes(e, "voice", "language", "loop");
        String voice = a.s("voice");
        if (voice == null || voice.isEmpty()) {
            voice = Say.DEFAULT_VOICE;
        } else if (!VOICE.matcher(voice).matches()) {
            run.warn(e.line, inGather ? 13321 : 13511, "invalid voice \"" + voice + "\" on <Say>; using \"man\"");
            voice = Say.DEFAULT_VOICE;
        }
        String lang = a.s("language");
        if (lang == null || lang.isEmpty()) lang = Say.DEFAULT_LANGUAGE;
        int loop = a.integer("loop", 1, 0, Integer.MAX_VALUE, inGather ? 13322 : 13510);
        List<SayPart> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        ssml(run, e, parts, cur);
        flush(parts, cur);
        // trim the ends
        if (!parts.isEmpty() && parts.get(0) instanceof SayPart.Text t) {
            parts.set(0, new SayPart.Text(t.text().stripLeading()));
        }
        int last = parts.size() - 1;
        if (last >= 0 && parts.get(last) instanceof SayPart.Text t) {
            parts.set(last, new SayPart.Text(t.text().stripTrailing()));
        }
        parts.removeIf(p -> p instanceof SayPart.Text t && t.text().isEmpty());
        Say say = new Say(parts, voice, lang, loop, e.line);
        String text = say.text();
        if (text.isEmpty() && !say.hasBreaks()) run.warn(e.line, 13520, "<Say> has no text");
        if (text.length() > TwimlParser.MAX_SAY_CHARS) {
            run.warn(e.line, 13521, "<Say> text is " + text.length() + " characters, over the "
                    + TwimlParser.MAX_SAY_CHARS + " limit (will not be spoken)");
        }
        return say;
    }

    private static void flush(List<SayPart> parts, StringBuilder cur) {
        if (cur.length() == 0) return;
        String t = cur.toString().replaceAll("\\s+", " ");
        cur.setLength(0);
        parts.add(new SayPart.Text(t));
    }

    private static void ssml(ParseRun run, XmlNode.Element e, List<SayPart> parts, StringBuilder cur) {
        for (XmlNode k : e.kids) {
            if (k instanceof XmlNode.Text t) {
                cur.append(t.text());
                continue;
            }
            XmlNode.Element c = (XmlNode.Element) k;
            if (c.name.equals("break")) {
                flush(parts, cur);
                parts.add(new SayPart.Break(breakDuration(run, c)));
                if (!c.text().isEmpty()) cur.append(' ').append(c.text()).append(' ');
            } else if (c.name.equals("sub") && c.attrs.get("alias") != null) {
                cur.append(c.attrs.get("alias"));
            } else if (SSML.contains(c.name) || c.name.startsWith("amazon:")) {
                boolean block = c.name.equals("p") || c.name.equals("s");
                if (block) cur.append(' ');
                ssml(run, c, parts, cur);
                if (block) cur.append(' ');
            } else if (ParseRun.VERBS.contains(c.name) || ParseRun.NOUNS.contains(c.name)) {
                run.warn(c.line, TwimlParser.W_SCHEMA, "<" + c.name + "> is not allowed inside <Say> (skipped)");
            } else {
                run.warn(c.line, TwimlParser.W_SCHEMA, "unknown SSML element <" + c.name
                        + "> in <Say> (its text is spoken)");
                ssml(run, c, parts, cur);
            }
        }
    }

    private static Duration breakDuration(ParseRun run, XmlNode.Element c) {
        String time = c.attrs.get("time");
        if (time != null) {
            Matcher m = BREAK_TIME.matcher(time);
            if (m.matches()) {
                double v = Double.parseDouble(m.group(1));
                long ms = Math.round(m.group(2).equals("s") ? v * 1000 : v);
                return Duration.ofMillis(Math.min(ms, 10_000));
            }
            run.warn(c.line, TwimlParser.W_SCHEMA, "invalid <break time=\"" + time + "\">; using 500ms");
            return Duration.ofMillis(500);
        }
        String strength = c.attrs.getOrDefault("strength", "medium");
        return switch (strength) {
            case "none" -> Duration.ZERO;
            case "x-weak" -> Duration.ofMillis(100);
            case "weak" -> Duration.ofMillis(250);
            case "strong" -> Duration.ofMillis(750);
            case "x-strong" -> Duration.ofSeconds(1);
            case "medium" -> Duration.ofMillis(500);
            default -> {
                run.warn(c.line, TwimlParser.W_SCHEMA, "invalid <break strength=\"" + strength + "\">; using medium");
                yield Duration.ofMillis(500);
            }
        };
    }
}
