package io.twimlagi.twiml;

import java.util.List;

/**
 * Secure TwiML parser: bytes → immutable typed {@link Document}.
 *
 * <h2>Security and limits</h2>
 * <ul>
 *   <li>The JDK's own StAX implementation is used ({@code XMLInputFactory.newDefaultFactory()}) with DTD support and
 *       external entities disabled, a resolver that refuses everything and {@code accessExternalDTD=""}. Any
 *       {@code <!DOCTYPE>} is a fatal 12100 error and is never resolved; any entity other than the five predefined
 *       ones and character references is a fatal 12100 error (there is no way to declare one).</li>
 *   <li>Body over {@value #MAX_BODY_BYTES} bytes → fatal 11750. Element nesting deeper than {@value #MAX_DEPTH} →
 *       fatal 12100.</li>
 *   <li>Not well-formed → fatal 12100 with the line the XML parser reports; root other than {@code <Response>} →
 *       fatal 12102. Element and attribute names are case-sensitive ({@code <say>} is an unknown element).</li>
 *   <li><b>Leading whitespace before {@code <?xml ...?>}</b>: Twilio rejects it with 12100. We are <b>lenient</b>:
 *       the whitespace is skipped and the document runs, but a <i>non-fatal</i> problem with code 12100 is reported
 *       (so {@code lint} shows it, without failing).</li>
 * </ul>
 *
 * <h2>Warnings (the document still runs)</h2>
 * 12200 for unknown elements (skipped), unknown attributes (ignored), elements where Twilio does not allow them
 * (skipped; 13320 inside Gather, 13215 inside Dial) and stray text. Invalid attribute values get Twilio's
 * verb-specific code where one exists (13510/13511 Say loop/voice, 13321/13322 inside Gather, 13410 Play loop,
 * 13910 Pause length, 13310 Gather finishOnKey, 13312 method, 13313 timeout, 13314 numDigits, 13327 speechTimeout,
 * 13610-13614 Record method/timeout/maxLength/finishOnKey/transcribe, 13210/13212/13213/13216/13217 Dial
 * method/timeout/hangupOnStar/timeLimit/record, 13221/13222 Number method/sendDigits, 13710 Redirect method) and
 * 12200 otherwise (e.g. Play digits, Reject reason); the attribute then takes its default. Say text over 4096
 * characters is a 13521 warning (the executor refuses to speak it), an empty Say 13520. An empty Redirect is a
 * 12200 warning and keeps {@code url == ""}. A Refer without exactly one Sip is a 12200 warning with a null target.
 *
 * <h2>Structure</h2>
 * {@link XmlTree} builds the element tree securely; {@link ParseRun} holds one parse's problems and dispatches each
 * element to the reader beside its record ({@code SayReader}, {@code DialReader}, {@code NumberReader}, ...), which
 * reads attributes through {@link Attributes} (defaults, ranges, Twilio's warning codes).
 */
public final class TwimlParser {
    public static final int MAX_BODY_BYTES = 65536;
    public static final int MAX_DEPTH = 64;
    public static final int MAX_SAY_CHARS = 4096;

    public static final int E_TOO_LARGE = 11750;
    public static final int E_PARSE = 12100;
    public static final int E_ROOT = 12102;
    public static final int W_SCHEMA = 12200;

    private TwimlParser() {}

    /**
     * Parses a TwiML document for execution.
     *
     * @return the verbs and the warnings
     * @throws TwimlException on the first fatal problem (11750, 12100, 12102); {@link TwimlException#problems()}
     *                        holds everything found
     */
    public static Document parse(byte[] body) throws TwimlException {
        ParseRun run = new ParseRun();
        List<Verb> verbs = run.run(body);
        List<Problem> problems = run.problems.list();
        Problem fatal = run.problems.firstError();
        if (fatal != null) throw new TwimlException(fatal.code(), fatal.line(), fatal.message(), problems);
        return new Document(verbs, problems);
    }

    /** All problems (errors and warnings) for {@code lint}; never throws. */
    public static List<Problem> check(byte[] body) {
        ParseRun run = new ParseRun();
        try {
            run.run(body);
        } catch (RuntimeException e) {
            run.problems.internal(e);
        }
        return run.problems.list();
    }
}
