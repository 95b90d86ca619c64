package io.twimlagi.ami;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shipped asterisk-conf/manager-twiml.conf and the e2e sandbox's manager.conf agree on [general] and the
 * twiml-agi user (all but the secret), so what the end-to-end tests prove about permissions holds for the file
 * users install.
 */
class ManagerConfTest {
    static final Path SHIPPED = Path.of("asterisk-conf/manager-twiml.conf");
    static final Path SANDBOX = Path.of("src/test/resources/asterisk-sandbox/manager.conf");

    /** Section name → its "key = value" lines (comments and blank lines dropped), in order. */
    static Map<String, List<String>> sections(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.replaceFirst(";.*", "").strip();
            if (line.isEmpty()) continue;
            if (line.startsWith("[")) {
                current = new ArrayList<>();
                out.put(line.substring(1, line.indexOf(']')), current);
            } else if (current != null) {
                current.add(line.replaceAll("\\s*=\\s*", " = ").strip());
            }
        }
        return out;
    }

    static List<String> withoutSecret(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("secret =")).toList();
    }

    @Test
    void theSandboxTestsTheShippedUserAndSettings() throws IOException {
        Map<String, List<String>> shipped = sections(SHIPPED);
        Map<String, List<String>> sandbox = sections(SANDBOX);
        assertEquals(List.of("general", "twiml-agi"), List.copyOf(shipped.keySet()));
        assertEquals(shipped.get("general"), sandbox.get("general"));
        assertEquals(withoutSecret(shipped.get("twiml-agi")), withoutSecret(sandbox.get("twiml-agi")));
        assertEquals(List.of("enabled = yes", "port = 5038", "bindaddr = 127.0.0.1"), shipped.get("general"));
        assertEquals("secret = AMI_SECRET", shipped.get("twiml-agi").get(0), "the placeholder ConfigLoader refuses");
    }

    @Test
    void theShippedUserHasTheLeastPermissionsAndOnlyTheEventsTheClientUses() throws IOException {
        List<String> user = sections(SHIPPED).get("twiml-agi");
        assertEquals(List.of("read = call", "write = originate,call,reporting"),
                user.stream().filter(l -> l.startsWith("read ") || l.startsWith("write ")).toList());
        Set<String> filtered = user.stream().filter(l -> l.startsWith("eventfilter("))
                .map(l -> l.replaceFirst(".*name\\(([A-Za-z]+)\\).*", "$1")).collect(Collectors.toSet());
        assertEquals(Set.of("OriginateResponse", "HangupRequest", "Hangup"), filtered);
        assertEquals(List.of("deny = 0.0.0.0/0.0.0.0", "permit = 127.0.0.1/255.255.255.255"),
                user.stream().filter(l -> l.startsWith("deny") || l.startsWith("permit")).toList());
    }
}
