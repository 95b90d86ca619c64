package io.twimlagi.config;

import java.nio.file.Path;

/**
 * A problem in the configuration file. The message is always {@code FILE:LINE: what is wrong} so that it can be
 * printed as-is (editors and CI understand the form); {@link #line()} is 0 when no line applies (unreadable file).
 */
public class ConfigException extends Exception {
    private final Path file;
    private final int line;

    public ConfigException(Path file, int line, String what) {
        super(file + ":" + line + ": " + what);
        this.file = file;
        this.line = line;
    }

    public ConfigException(Path file, int line, String what, Throwable cause) {
        super(file + ":" + line + ": " + what, cause);
        this.file = file;
        this.line = line;
    }

    /** The configuration file as given to {@link ConfigLoader#load(Path)}. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the offending line (section header for a missing key), 0 when none applies. */
    public int line() {
        return line;
    }
}
