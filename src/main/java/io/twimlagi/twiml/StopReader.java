package io.twimlagi.twiml;

/** Reads {@code <Stop>} with Stream, Siprec, Transcription and Recording nouns. */
final class StopReader {
    private StopReader() {}

    static Stop read(ParseRun run, XmlNode.Element e) {
        run.attributes(e);
        return new Stop(MediaNounReader.read(run, e, "Stream", "Siprec", "Transcription", "Recording"), e.line);
    }
}
