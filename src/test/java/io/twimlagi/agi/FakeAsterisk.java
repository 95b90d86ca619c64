package io.twimlagi.agi;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plays Asterisk's side of FastAGI over real TCP: sends the {@code agi_*} environment, then answers each command
 * line with what {@code replies} returns (a full reply line such as {@code 200 result=1 (x)}, or several lines
 * separated by \n, e.g. {@code "200 result=-1\nHANGUP"}), or {@link #NO_REPLY} for none (a STREAM FILE that a new
 * command interrupted), or closes the connection without a reply when it returns null. Records every command line
 * it receives, read as res_agi reads it: only LF ends a command, so a CR, NUL or other control character stays in
 * the line where a test can see it.
 */
public final class FakeAsterisk {
    /** A reply that sends nothing: the command goes on (until a new command line stops it). */
    public static final String NO_REPLY = "";

    /** True for the server's one INVITE read (the GET FULL VARIABLE of the Request-URI and the rest). */
    public static boolean isInviteRead(String command) {
        return command.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,request_uri)}");
    }

    /** Asterisk's reply to the INVITE read for a call to {@code requestUri} from sipp, no X- headers. */
    public static String inviteReply(String requestUri) {
        String sep = InviteReader.SEP;
        StringBuilder b = new StringBuilder("200 result=1 (" + requestUri + sep
                + "\\\"Alice\\\" <sip:alice@client.example.com:5080>" + sep + "abc123@127.0.0.1" + sep
                + "127.0.0.1:5080" + sep + "" + sep + "" + sep + "sipp");
        for (int i = 0; i < InviteReader.PREFETCH; i++) b.append(sep);
        return b.append(')').toString();
    }
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Function<String, String> replies;
    public final List<String> commands = new ArrayList<>();
    /** True when the server closed the connection (rather than the fake giving up). */
    public boolean closedByServer;
    /** The local address to connect from (null: the system's choice). */
    private InetAddress from;
    private Duration readTimeout = Duration.ofSeconds(20);

    public FakeAsterisk(Function<String, String> replies) {
        this.replies = replies;
        env.put("network", "yes");
        env.put("network_script", "twiml");
        env.put("request", "agi://127.0.0.1:4573/twiml");
        env.put("channel", "PJSIP/sipp-00000001");
        env.put("language", "en");
        env.put("type", "PJSIP");
        env.put("uniqueid", "1700000000.1");
        env.put("version", "22.10.1");
        env.put("callerid", "alice");
        env.put("calleridname", "unknown");
        env.put("context", "twiml-inbound");
        env.put("extension", "+15551234567");
        env.put("priority", "2");
    }

    /** Sets (or replaces) one {@code agi_<key>} line of the environment, e.g. network_script, arg_1, channel. */
    public FakeAsterisk env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Connects from this local address (e.g. 127.0.0.2, to be a peer outside an allow list). */
    public FakeAsterisk from(InetAddress local) {
        this.from = local;
        return this;
    }

    /** Connects, runs the conversation until the server closes the socket (or 20 s pass), returns the commands. */
    /** How long the fake waits for the server's next command before it gives up (20 s unless set). */
    public FakeAsterisk readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    /** Connects, runs the conversation until the server closes the socket (or the read timeout passes). */
    public List<String> run(InetSocketAddress server) throws IOException {
        try (Socket s = new Socket()) {
            if (from != null) s.bind(new InetSocketAddress(from, 0));
            s.connect(server, 2000);
            s.setSoTimeout((int) readTimeout.toMillis());
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            StringBuilder hello = new StringBuilder();
            env.forEach((k, v) -> hello.append("agi_").append(k).append(": ").append(v).append('\n'));
            hello.append('\n');
            out.write(hello.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String reply = replies.apply(line);
                if (reply == null) return commands; // hangs up the connection without replying (Asterisk gone)
                if (reply.equals(NO_REPLY)) continue;
                out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            closedByServer = true;
        }
        return commands;
    }

    /** One command as res_agi's run_agi reads it: up to LF (removed); null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
