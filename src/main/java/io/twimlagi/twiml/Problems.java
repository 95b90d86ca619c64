package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;

/** The problems one parse finds, in the order found. */
final class Problems {
    private final List<Problem> list = new ArrayList<>();

    /** Thrown after a fatal problem was recorded: the parse stops there. Carries no stack (it is control flow). */
    static final class Fatal extends Exception {
        Fatal() {
            super(null, null, false, false);
        }
    }

    void warn(int line, int code, String message) {
        list.add(new Problem(line, code, message, false));
    }

    /** Records a fatal problem and returns the exception that ends the parse (for {@code throw}). */
    Fatal fatal(int line, int code, String message) {
        list.add(new Problem(line, code, message, true));
        return new Fatal();
    }

    /** Records an internal error of the parser itself (lint only). */
    void internal(RuntimeException e) {
        list.add(new Problem(0, 12400, "internal error: " + e, true));
    }

    List<Problem> list() {
        return List.copyOf(list);
    }

    /** The first fatal problem, or null. */
    Problem firstError() {
        for (Problem p : list) if (p.error()) return p;
        return null;
    }
}
