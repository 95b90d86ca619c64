package io.twimlagi.twiml;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code lint FILE...}: checks TwiML files offline and prints every problem as {@code FILE:LINE: CODE message}
 * (warnings carry a {@code "warning: "} prefix on the message).
 */
public final class Lint {
    private Lint() {}

    /**
     * @return 0 when no file has an error (warnings allowed), 1 when at least one file has an error or cannot be
     *         read, 2 (after printing a usage line) when no file was given
     */
    public static int run(List<String> files, PrintStream out) {
        if (files == null || files.isEmpty()) {
            out.println("usage: lint FILE...");
            return 2;
        }
        boolean failed = false;
        for (String file : files) {
            byte[] body;
            try {
                body = Files.readAllBytes(Path.of(file));
            } catch (IOException | RuntimeException e) {
                out.println(new Problem(0, 11200, "cannot read: " + e, true).format(file));
                failed = true;
                continue;
            }
            for (Problem p : TwimlParser.check(body)) {
                out.println(p.format(file));
                failed |= p.error();
            }
        }
        out.flush();
        return failed ? 1 : 0;
    }
}
