package io.twimlagi.twiml;

/** Reads {@code <Redirect method>url</Redirect>}. */
final class RedirectReader {
    private RedirectReader() {}

    static Redirect read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "method");
        run.content(e, true);
        String url = e.text();
        if (url.isEmpty()) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "<Redirect> has no URL (re-requests the current document)");
        }
        return new Redirect(url, a.method("method", 13710), e.line);
    }
}
