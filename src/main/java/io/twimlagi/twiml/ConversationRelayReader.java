package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code <ConversationRelay>} (Connect): url typed, the rest kept as attributes and untyped children. */
final class ConversationRelayReader {
    private ConversationRelayReader() {}

    static ConversationRelay read(ParseRun run, XmlNode.Element c) {
        run.attributes(c, "url", "welcomeGreeting", "welcomeGreetingInterruptible", "language", "ttsLanguage",
                "ttsProvider", "voice", "transcriptionLanguage", "transcriptionProvider", "speechModel",
                "interruptible", "dtmfDetection", "reportInputDuringAgentSpeech", "preemptible", "hints",
                "intelligenceService", "profanityFilter", "partialPrompts", "debug", "elevenlabsTextNormalization",
                "interruptSensitivity");
        List<Parameter> ps = new ArrayList<>();
        List<GenericNoun> kids = new ArrayList<>();
        for (XmlNode.Element k : run.content(c, false, "Language", "Parameter")) {
            if (k.name.equals("Parameter")) ps.add(run.parameter(k));
            else kids.add(ParseRun.generic(k));
        }
        return new ConversationRelay(c.attrs.get("url"), c.attrs, ps, kids, c.line);
    }
}
