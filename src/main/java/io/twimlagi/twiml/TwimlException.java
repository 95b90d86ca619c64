package io.twimlagi.twiml;

import java.util.List;

/** A fatal TwiML problem (12100 parse failure, 12102 bad root, 11750 too large): the document must not run. */
public class TwimlException extends Exception {
    private final int code;
    private final int line;
    private final transient List<Problem> problems;

    public TwimlException(int code, int line, String message) {
        this(code, line, message, List.of(new Problem(line, code, message, true)));
    }

    public TwimlException(int code, int line, String message, List<Problem> problems) {
        super(message);
        this.code = code;
        this.line = line;
        this.problems = List.copyOf(problems);
    }

    public int code() { return code; }

    public int line() { return line; }

    /** Every problem found (the fatal one(s) and any warnings before it). */
    public List<Problem> problems() { return problems; }
}
