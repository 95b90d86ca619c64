package io.twimlagi.twiml;

/** Reads {@code <Transcription>} (Start, Stop). */
final class TranscriptionReader {
    private TranscriptionReader() {}

    static Transcription read(ParseRun run, XmlNode.Element c) {
        Attributes a = run.attributes(c, "name", "track", "statusCallbackUrl", "statusCallbackMethod", "languageCode",
                "transcriptionEngine", "speechModel", "profanityFilter", "partialResults", "hints",
                "enableAutomaticPunctuation", "inboundTrackLabel", "outboundTrackLabel", "intelligenceService",
                "enableProviderData", "conversationConfiguration", "conversationId");
        return new Transcription(a.s("name"), a.s("track"), a.s("statusCallbackUrl"),
                a.method("statusCallbackMethod", TwimlParser.W_SCHEMA), run.parameters(c), c.attrs, c.line);
    }
}
