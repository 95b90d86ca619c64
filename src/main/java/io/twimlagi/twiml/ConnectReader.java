package io.twimlagi.twiml;

import java.util.List;

/** Reads {@code <Connect action method>} with its media nouns. */
final class ConnectReader {
    private ConnectReader() {}

    static Connect read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "action", "method");
        List<MediaNoun> nouns = MediaNounReader.read(run, e, "Stream", "Room", "ConversationRelay", "VirtualAgent",
                "Conversation", "Assistant", "AiSession");
        return new Connect(a.s("action"), a.method("method", TwimlParser.W_SCHEMA), nouns, e.line);
    }
}
