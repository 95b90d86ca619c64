package io.twimlagi.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one sipp UAC call (Debian's sip-tester 3.6.1) with a scenario from {@code src/test/resources/sipp/}.
 *
 * <pre>
 * SippResult r = Sipp.scenario("reject.xml")
 *         .service("+15551234567")          // dialed user: Request-URI sip:[service]@[domain]
 *         .domain("pbx.example.com")        // Request-URI / To host (the INVITE still goes to 127.0.0.1:5060)
 *         .key("x_customer_id", "42")       // -key name value  ([x_customer_id] in the scenario)
 *         .header("X-Other", "v")           // extra INVITE header ({{headers}} placeholder)
 *         .finalCode(486)                   // reject.xml: the expected final response
 *         .rtpPort(sink.port())             // m=audio port of the SDP offer: where Asterisk sends RTP
 *         .timeout(Duration.ofSeconds(15))
 *         .run();
 * r.exitCode(); r.statusCodes(); r.sawBefore(180, 486);
 * </pre>
 *
 * Each run gets a fresh temp folder, a free local SIP port ({@code -p}) and media port ({@code -mp}),
 * {@code -m 1}, {@code -timeout} + {@code -timeout_error}, stdin from /dev/null, output to files (no TTY needed).
 * Header lines of the form {@code Name: [key]} are dropped when the key is not set, so X- headers are optional.
 */
public final class Sipp {

    private static final Pattern KEY_ONLY_HEADER = Pattern.compile("^\\s*[A-Za-z0-9-]+:\\s*\\[([a-z0-9_]+)\\]\\s*$");
    private static final Pattern SIPP_KEYWORD = Pattern.compile("\\[([a-z0-9_]+)\\]");

    private final String scenario;
    private String service = "+15551234567";
    private String target = AsteriskSandbox.SIP_HOST + ":" + AsteriskSandbox.SIP_PORT;
    private Duration timeout = Duration.ofSeconds(30);
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final List<String> headers = new ArrayList<>();
    private int finalCode = 503;
    private String dtmf = "";
    private final List<String> extraArgs = new ArrayList<>();

    private Sipp(String scenario) {
        this.scenario = scenario;
        keys.put("domain", AsteriskSandbox.SIP_HOST);
        keys.put("from_user", "+15550001111");
        keys.put("rtp_port", "9"); // discard port: nobody listens unless the test passes an RtpSink port
        keys.put("pause_ms", "1000");
    }

    /** A scenario file name under src/test/resources/sipp/ (reject.xml, answer-bye.xml, ...). */
    public static Sipp scenario(String name) {
        return new Sipp(name);
    }

    /** Dialed user (Request-URI user part, sipp -s). */
    public Sipp service(String user) { this.service = user; return this; }

    /** Host part of Request-URI and To (key "domain"); the INVITE is still sent to {@link #target}. */
    public Sipp domain(String domain) { return key("domain", domain); }

    /** From user (key "from_user"). */
    public Sipp fromUser(String user) { return key("from_user", user); }

    /** Port of the SDP offer's m=audio line (key "rtp_port"): Asterisk sends the call's RTP there. */
    public Sipp rtpPort(int port) { return key("rtp_port", Integer.toString(port)); }

    /** Pause of answer-bye.xml (before BYE), ring-cancel.xml (before CANCEL), answer-info-dtmf.xml (before INFO). */
    public Sipp pause(Duration d) { return key("pause_ms", Long.toString(d.toMillis())); }

    /** A sipp keyword: {@code -key name value}, used as {@code [name]} in the scenario. */
    public Sipp key(String name, String value) {
        if (value == null) keys.remove(name); else keys.put(name, value);
        return this;
    }

    /** An extra INVITE header (replaces the {@code {{headers}}} line of the scenario). */
    public Sipp header(String name, String value) {
        if (name.contains("\n") || name.contains("\r") || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException("header with a line break");
        }
        headers.add(name + ": " + value);
        return this;
    }

    /** reject.xml: the final response code the scenario requires (default 503). */
    public Sipp finalCode(int code) { this.finalCode = code; return this; }

    /** answer-info-dtmf.xml: digits sent as SIP INFO (application/dtmf-relay), one INFO each, 250 ms apart. */
    public Sipp dtmf(String digits) {
        if (!digits.matches("[0-9*#A-Da-d]*")) throw new IllegalArgumentException("bad DTMF digits: " + digits);
        this.dtmf = digits;
        return this;
    }

    /** Where to send the INVITE (default 127.0.0.1:5060). */
    public Sipp target(String hostPort) { this.target = hostPort; return this; }

    /** Global sipp timeout (-timeout, with -timeout_error); the process is killed 10 s after it. */
    public Sipp timeout(Duration d) { this.timeout = d; return this; }

    /** Any other sipp argument(s). */
    public Sipp arg(String... args) { extraArgs.addAll(List.of(args)); return this; }

    /** Runs the call and waits for sipp to exit. */
    /**
     * Waits until something (a sipp UAS started with {@code -p port}) has bound UDP {@code port}, reading the
     * kernel's socket table ({@code /proc/net/udp}) rather than probing the port, which could take it from sipp.
     * Fails after {@code max}.
     */
    public static void awaitBound(int port, Duration max) {
        String hexPort = String.format(":%04X ", port);
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                java.nio.file.Path file = java.nio.file.Path.of(table);
                if (!java.nio.file.Files.exists(file)) continue;
                try {
                    for (String line : java.nio.file.Files.readAllLines(file)) {
                        String[] f = line.trim().split("\\s+");
                        if (f.length > 2 && (f[1] + " ").endsWith(hexPort)) return; // local_address IP:PORT
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("nothing bound UDP port " + port);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public SippResult run() {
        try {
            return doRun();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sipp ran", e);
        }
    }

    /** Runs the call on another thread (e.g. to act on the server side while the call is up). */
    public CompletableFuture<SippResult> start() {
        CompletableFuture<SippResult> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(run());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "sipp-" + scenario);
        t.setDaemon(true);
        t.start();
        return f;
    }

    // ---------------------------------------------------------------------------------------------

    private SippResult doRun() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sipp-" + scenario.replace(".xml", "") + "-");
        Path scen = dir.resolve(scenario);
        Files.writeString(scen, render(loadScenario(scenario)), StandardCharsets.ISO_8859_1);
        Path messages = dir.resolve("messages.log");
        Path errors = dir.resolve("errors.log");
        Path out = dir.resolve("sipp.out");

        List<String> cmd = new ArrayList<>(List.of(
                "sipp", target,
                "-sf", scen.toString(),
                "-s", service,
                "-i", AsteriskSandbox.SIP_HOST,
                "-p", Integer.toString(freeUdpPort()),
                "-mp", Integer.toString(freeUdpPort()),
                "-m", "1",
                "-l", "1",
                "-timeout", timeout.toMillis() + "ms",
                "-timeout_error",
                "-nostdin",
                "-trace_msg", "-message_file", messages.toString(),
                "-trace_err", "-error_file", errors.toString()));
        keys.forEach((k, v) -> {
            cmd.add("-key");
            cmd.add(k);
            cmd.add(v);
        });
        cmd.addAll(extraArgs);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");

        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        long waitMs = timeout.toMillis() + 10_000;
        if (!p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return new SippResult(-100, SippResult.readOrEmpty(messages),
                    "sipp killed after " + waitMs + " ms\n" + SippResult.readOrEmpty(out), SippResult.readOrEmpty(errors), dir);
        }
        return new SippResult(p.exitValue(), SippResult.readOrEmpty(messages), SippResult.readOrEmpty(out),
                SippResult.readOrEmpty(errors), dir);
    }

    private String render(String xml) {
        String s = xml.replace("{{final_code}}", Integer.toString(finalCode));
        s = replaceLine(s, "{{headers}}", String.join("\n", headers));
        s = replaceLine(s, "{{info_dtmf}}", infoDtmf());
        for (Map.Entry<String, String> e : keys.entrySet()) { // e.g. {{pause_ms}} in <pause milliseconds=...>
            s = s.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        if (s.contains("{{")) {
            throw new IllegalArgumentException(scenario + ": unreplaced placeholder near "
                    + s.substring(s.indexOf("{{"), Math.min(s.length(), s.indexOf("{{") + 30)));
        }
        // Drop "Name: [key]" header lines whose key is not set; fail on any other unset keyword we own.
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            Matcher m = KEY_ONLY_HEADER.matcher(line);
            if (m.matches() && isOwnKey(m.group(1)) && !keys.containsKey(m.group(1))) {
                continue;
            }
            sb.append(line).append('\n');
        }
        String r = sb.substring(0, sb.length() - 1);
        Matcher k = SIPP_KEYWORD.matcher(r);
        while (k.find()) {
            if (isOwnKey(k.group(1)) && !keys.containsKey(k.group(1))) {
                throw new IllegalArgumentException(scenario + " uses [" + k.group(1) + "]: set it with .key(\""
                        + k.group(1) + "\", value)");
            }
        }
        return r;
    }

    /** Keys the harness passes with -key (as opposed to sipp's built-in keywords). */
    private static boolean isOwnKey(String k) {
        return k.startsWith("x_") || List.of("domain", "from_user", "rtp_port", "pause_ms").contains(k);
    }

    private static String replaceLine(String s, String placeholder, String replacement) {
        if (replacement.isEmpty()) {
            return s.replaceAll("(?m)^[ \\t]*" + Pattern.quote(placeholder) + "[ \\t]*\\r?\\n", "");
        }
        return s.replace(placeholder, replacement);
    }

    private String infoDtmf() {
        StringBuilder sb = new StringBuilder();
        int cseq = 2;
        for (char c : dtmf.toCharArray()) {
            sb.append("""
                      <send retrans="500">
                        <![CDATA[

                          INFO [next_url] SIP/2.0
                          Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                          From: "sipp" <sip:[from_user]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                          [last_To:]
                          Call-ID: [call_id]
                          CSeq: %d INFO
                          Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
                          Max-Forwards: 70
                          Content-Type: application/dtmf-relay
                          Content-Length: [len]

                          Signal=%c
                          Duration=160

                        ]]>
                      </send>
                      <recv response="200" crlf="true"/>
                      <pause milliseconds="250"/>
                    """.formatted(cseq++, Character.toUpperCase(c)));
        }
        return sb.toString();
    }

    private static String loadScenario(String name) throws IOException {
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + name)) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
        Path p = AsteriskSandbox.repoRoot().resolve("src/test/resources/sipp").resolve(name);
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no sipp scenario " + name + " (" + p + ")");
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }

    /** A currently free UDP port on 127.0.0.1 (never 5060). */
    static int freeUdpPort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int port = s.getLocalPort();
                if (port != AsteriskSandbox.SIP_PORT && port < 65000) return port;
            }
        }
        throw new IOException("no free UDP port");
    }
}
