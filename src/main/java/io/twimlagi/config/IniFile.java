package io.twimlagi.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The lexical level of the config file, Asterisk style: {@code [section]} headers, {@code key = value} or
 * {@code key => value}, {@code ;} comments (whole line or trailing, {@code \;} is a literal semicolon), blank
 * lines; keys lower-cased, values trimmed, each with its line for error messages. No meaning is given to any key
 * here ({@link ConfigLoader} does that).
 */
final class IniFile {
    private static final Pattern SECTION_NAME = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+");

    private IniFile() {
    }

    record Value(String text, int line) {
    }

    static final class Section {
        final String name;
        final int line;
        final Map<String, Value> values = new LinkedHashMap<>();

        Section(String name, int line) {
            this.name = name;
            this.line = line;
        }

        String get(String key) {
            Value v = values.get(key);
            return v == null || v.text.isEmpty() ? null : v.text;
        }

        int lineOf(String key) {
            Value v = values.get(key);
            return v == null ? line : v.line;
        }
    }


    /** The file's text: UTF-8, nothing else. */
    static String read(Path file) throws ConfigException {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, "file is not valid UTF-8", e);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read file: " + e, e);
        }
        return text;
    }

    static List<Section> parse(Path file, String text) throws ConfigException {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<Section> sections = new ArrayList<>();
        Map<String, Section> byName = new LinkedHashMap<>();
        Section current = null;
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                throw new ConfigException(file, lineNo, "directives such as #include are not supported");
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new ConfigException(file, lineNo, "malformed section header (expected [name])");
                }
                String name = line.substring(1, line.length() - 1).strip();
                if (name.isEmpty() || !SECTION_NAME.matcher(name).matches()) {
                    throw new ConfigException(file, lineNo, "invalid section name [" + name + "]");
                }
                String key = name.toLowerCase(Locale.ROOT);
                Section previous = byName.get(key);
                if (previous != null) {
                    throw new ConfigException(file, lineNo,
                            "duplicate section [" + name + "] (first at line " + previous.line + ")");
                }
                current = new Section(name, lineNo);
                byName.put(key, current);
                sections.add(current);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(file, lineNo, "expected 'key = value', '[section]' or a comment");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            int valueStart = eq + 1;
            if (valueStart < line.length() && line.charAt(valueStart) == '>') valueStart++;   // key => value
            String value = line.substring(valueStart).strip();
            if (key.isEmpty()) throw new ConfigException(file, lineNo, "missing key before '='");
            if (current == null) {
                throw new ConfigException(file, lineNo, "key '" + key + "' outside of any [section]");
            }
            Value previous = current.values.get(key);
            if (previous != null) {
                throw new ConfigException(file, lineNo, "duplicate key '" + key + "' in [" + current.name
                        + "] (first at line " + previous.line + ")");
            }
            current.values.put(key, new Value(value, lineNo));
        }
        return sections;
    }

    /** Removes a {@code ;} comment; {@code \;} becomes a literal {@code ;}. Other backslashes are kept. */
    static String stripComment(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && raw.charAt(i + 1) == ';') {
                sb.append(';');
                i++;
            } else if (c == ';') {
                break;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

}
