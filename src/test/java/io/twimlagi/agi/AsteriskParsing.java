package io.twimlagi.agi;

import java.util.ArrayList;
import java.util.List;

/**
 * Asterisk 22's two text parsers that an AGI command goes through, written out in Java to check what Asterisk would
 * make of a command line: res_agi's {@code parse_args} (a command line into words) and main/app.c's
 * {@code __ast_app_separate_args} (an application's argument string, the third word of {@code EXEC}, into
 * arguments). Line by line the same decisions as the C code (see reference/asterisk.md §2.3 and §2.6).
 */
final class AsteriskParsing {
    /** res_agi's {@code MAX_ARGS}: a command line has fewer words. */
    static final int MAX_AGI_WORDS = 128;

    private AsteriskParsing() {
    }

    /**
     * The words of an AGI command line, as {@code parse_args} splits them: space and tab separate words outside
     * double quotes, {@code "} toggles quoting (and starts a word after whitespace), {@code \} makes the next
     * character literal.
     */
    static List<String> agiWords(String line) {
        List<StringBuilder> words = new ArrayList<>();
        boolean quoted = false;
        boolean escaped = false;
        boolean whitespace = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean normal = false;
            switch (c) {
                case '"' -> {
                    if (escaped) {
                        normal = true;
                    } else {
                        quoted = !quoted;
                        if (quoted && whitespace) {
                            words.add(new StringBuilder()); // a quote coming off whitespace starts a word
                            whitespace = false;
                        }
                        escaped = false;
                    }
                }
                case ' ', '\t' -> {
                    if (!quoted && !escaped) whitespace = true;
                    else normal = true;
                }
                case '\\' -> {
                    if (escaped) normal = true;
                    else escaped = true;
                }
                default -> normal = true;
            }
            if (normal) {
                if (whitespace) {
                    words.add(new StringBuilder());
                    whitespace = false;
                }
                words.get(words.size() - 1).append(c);
                escaped = false;
            }
        }
        return words.stream().map(StringBuilder::toString).toList();
    }

    /**
     * One application argument: {@code raw} as it stands in the argument string, {@code value} as the application
     * gets it (quotes removed, {@code \x} made {@code x}).
     */
    record AppArg(String raw, String value) {
    }

    /** What the argument parser made of an argument string. */
    record AppArgs(List<AppArg> args, boolean readsPastTheEnd) {
        List<String> values() {
            return args.stream().map(AppArg::value).toList();
        }
    }

    /**
     * {@code AST_STANDARD_APP_ARGS} ({@code __ast_app_separate_args} with {@code remove_chars = 1}) without a limit
     * on the number of arguments: splits at {@code delim} outside {@code ( )}, {@code [ ]} and {@code " "}. A
     * trailing lone {@code \} makes the C code read past the string's end ({@code readsPastTheEnd}).
     */
    static AppArgs appArgs(String data, char delim) {
        List<AppArg> out = new ArrayList<>();
        int paren = 0;
        int bracket = 0;
        boolean quote = false;
        boolean pastTheEnd = false;
        int i = 0;
        int n = data.length();
        boolean endedOnDelim = false;
        while (i < n) {
            int start = i;
            StringBuilder value = new StringBuilder();
            endedOnDelim = false;
            for (; i < n; i++) {
                char c = data.charAt(i);
                if (c == '(') {
                    paren++;
                    value.append(c);
                } else if (c == ')') {
                    if (paren > 0) paren--;
                    value.append(c);
                } else if (c == '[') {
                    bracket++;
                    value.append(c);
                } else if (c == ']') {
                    if (bracket > 0) bracket--;
                    value.append(c);
                } else if (c == '"' && delim != '"') {
                    quote = !quote; // removed from the argument
                } else if (c == '\\') {
                    if (i + 1 < n) value.append(data.charAt(++i)); // the next character, literally
                    else pastTheEnd = true;
                } else if (c == delim && paren == 0 && !quote && bracket == 0) {
                    endedOnDelim = true;
                    break;
                } else {
                    value.append(c);
                }
            }
            out.add(new AppArg(data.substring(start, Math.min(i, n)), value.toString()));
            if (endedOnDelim) i++;
        }
        if (endedOnDelim) out.add(new AppArg("", "")); // "a," is two arguments
        return new AppArgs(out, pastTheEnd);
    }
}
