package io.twimlagi.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Outcome of one sipp run: exit code (0 = the call followed the scenario) and the message ladder
 * parsed from sipp's {@code -trace_msg} file.
 */
public final class SippResult {

    private static final Pattern SEPARATOR = Pattern.compile("^-{20,} (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+)\\s*$");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.[SSSSSS][SSS]");

    private final int exitCode;
    private final List<SipMessage> all;
    private final String messageLog;
    private final String output;
    private final String errors;
    private final Path workDir;

    SippResult(int exitCode, String messageLog, String output, String errors, Path workDir) {
        this.exitCode = exitCode;
        this.messageLog = messageLog;
        this.output = output;
        this.errors = errors;
        this.workDir = workDir;
        this.all = parseTrace(messageLog);
    }

    /** sipp exit code: 0 all calls OK, 1 a call failed (unexpected message, timeout), 97/99/-1/-2 see sipp docs. */
    public int exitCode() { return exitCode; }

    /** Messages sipp received, in order. */
    public List<SipMessage> received() {
        return all.stream().filter(m -> m.direction() == SipMessage.Direction.RECEIVED).toList();
    }

    /** Messages sipp sent, in order. */
    public List<SipMessage> sent() {
        return all.stream().filter(m -> m.direction() == SipMessage.Direction.SENT).toList();
    }

    /** The whole ladder (sent and received), in order. */
    public List<SipMessage> messages() { return all; }

    /** Status codes of received responses, in arrival order (retransmissions included). */
    public List<Integer> statusCodes() {
        return received().stream().filter(SipMessage::isResponse).map(SipMessage::statusCode).toList();
    }

    /** Status codes of received responses to the INVITE, in arrival order. */
    public List<Integer> inviteStatusCodes() {
        return received().stream().filter(m -> m.isResponse() && m.method().equals("INVITE"))
                .map(SipMessage::statusCode).toList();
    }

    /** True if a response code1 arrived, and a response code2 arrived after it. */
    public boolean sawBefore(int code1, int code2) {
        List<Integer> codes = statusCodes();
        int i = codes.indexOf(code1);
        return i >= 0 && codes.subList(i + 1, codes.size()).contains(code2);
    }

    /** First received response with this code. */
    public Optional<SipMessage> firstResponse(int code) {
        return received().stream().filter(m -> m.statusCode() == code).findFirst();
    }

    /** The final (>= 200) response to the INVITE, if any. */
    public Optional<SipMessage> finalInviteResponse() {
        return received().stream().filter(m -> m.isResponse() && m.method().equals("INVITE") && m.statusCode() >= 200)
                .findFirst();
    }

    /** Received requests with this method (e.g. "BYE", "REFER"). */
    public List<SipMessage> receivedRequests(String method) {
        return received().stream().filter(m -> !m.isResponse() && m.method().equalsIgnoreCase(method)).toList();
    }

    /** The INVITE sipp sent. */
    public Optional<SipMessage> invite() {
        return sent().stream().filter(m -> !m.isResponse() && m.method().equals("INVITE")).findFirst();
    }

    /** Raw message trace. */
    public String messageLog() { return messageLog; }

    /** sipp's stdout/stderr (final statistics screen). */
    public String output() { return output; }

    /** sipp's -trace_err file (unexpected messages), "" if none. */
    public String errors() { return errors; }

    /** Folder holding the scenario, trace and output of this run (kept for debugging). */
    public Path workDir() { return workDir; }

    /** One line per message, for assertion messages. */
    public String ladder() {
        return all.stream().map(SipMessage::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public String toString() {
        return "sipp exit " + exitCode + "\n" + ladder() + (errors.isBlank() ? "" : "\nerrors:\n" + errors);
    }

    static List<SipMessage> parseTrace(String log) {
        List<SipMessage> out = new ArrayList<>();
        String[] lines = log.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            Matcher m = SEPARATOR.matcher(lines[i]);
            if (!m.matches()) { i++; continue; }
            LocalDateTime time = null;
            try {
                time = LocalDateTime.parse(m.group(1), TS);
            } catch (RuntimeException ignored) {
                // keep null
            }
            i++;
            if (i >= lines.length) break;
            String kind = lines[i];
            SipMessage.Direction dir;
            if (kind.contains("message sent")) {
                dir = SipMessage.Direction.SENT;
            } else if (kind.contains("message received")) {
                dir = SipMessage.Direction.RECEIVED;
            } else {
                continue;
            }
            i++;
            StringBuilder sb = new StringBuilder();
            while (i < lines.length && !SEPARATOR.matcher(lines[i]).matches()) {
                sb.append(lines[i]).append('\n');
                i++;
            }
            String text = sb.toString().replaceFirst("^\\s+", "");
            if (!text.isBlank()) {
                out.add(SipMessage.parse(dir, time, text));
            }
        }
        return out;
    }

    static String readOrEmpty(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
