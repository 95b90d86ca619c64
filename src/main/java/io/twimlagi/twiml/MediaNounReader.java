package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;

/** Reads the media nouns of Connect, Start and Stop, each by its own reader; the others are kept untyped. */
final class MediaNounReader {
    private MediaNounReader() {}

    /** The children of {@code e} named in {@code allowed} (others warned and skipped). */
    static List<MediaNoun> read(ParseRun run, XmlNode.Element e, String... allowed) {
        List<MediaNoun> out = new ArrayList<>();
        for (XmlNode.Element c : run.content(e, false, allowed)) {
            out.add(switch (c.name) {
                case "Stream" -> StreamReader.read(run, c);
                case "Siprec" -> SiprecReader.read(run, c);
                case "Transcription" -> TranscriptionReader.read(run, c);
                case "Recording" -> RecordingReader.read(run, c);
                case "Room" -> RoomReader.read(run, c);
                case "ConversationRelay" -> ConversationRelayReader.read(run, c);
                case "VirtualAgent" -> VirtualAgentReader.read(run, c);
                default -> ParseRun.generic(c);
            });
        }
        return out;
    }
}
