package io.twimlagi.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor under the REST API's figures (run by scripts/bench-rest, not a test): the same calls placed straight
 * through Asterisk's Manager Interface, without our server, on a raw AMI connection, open-loop at a rate. Each
 * Originate's send time is taken just before its one write, as {@link RawHttp} does for the REST requests, and the
 * same {@code RestLoad wire} matches it with the callee's INVITE. Usage:
 * {@code AmiNative HOST:PORT USER SECRET MODE RATE COUNT PREFIX CALLEE OUT.tsv}, MODE {@code pjsip} (Originate of
 * {@code PJSIP/trunk/sip:<prefix><n>@CALLEE}, then {@code Wait(1)}) or {@code local} (Originate of
 * {@code Local/<prefix><n>@bench-rest-native}, whose dialplan Dials the callee, named in the channel variable
 * {@code BENCH_CALLEE}: Local channel plus dialplan, no AGI)
 * or {@code local-twiml} (the same with the Dial options and pre-dial handler our AGI's Dial uses:
 * {@code bench-rest-native-twiml}).
 */
public final class AmiNative {
    private AmiNative() {
    }

    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        String mode = args[3];
        int rate = Integer.parseInt(args[4]);
        int count = Integer.parseInt(args[5]);
        String prefix = args[6];
        String callee = args[7];
        Path out = Path.of(args[8]);
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream o = s.getOutputStream();
            in.readLine(); // banner
            o.write(("Action: Login\r\nUsername: " + args[1] + "\r\nSecret: " + args[2] + "\r\nEvents: off\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String status = in.readLine();
            if (status == null || !status.contains("Success")) throw new IOException("AMI login: " + status);
            Thread drain = new Thread(() -> {
                try {
                    while (in.readLine() != null) {
                        // responses: not looked at (a refused one shows as a missing INVITE)
                    }
                } catch (IOException closed) {
                    // done
                }
            }, "ami-drain");
            drain.setDaemon(true);
            drain.start();
            long[] sent = new long[count];
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            for (int n = 0; n < count; n++) {
                String context = mode.equals("local") ? "bench-rest-native" : mode.equals("local-twiml")
                        ? "bench-rest-native-twiml" : mode.substring(mode.indexOf(':') + 1); // local:<context>
                String action = mode.startsWith("local")
                        ? "Action: Originate\r\nChannel: Local/" + prefix + n + "@" + context + "\r\n"
                        + "Context: " + context + "\r\nExten: answered\r\nPriority: 1\r\n"
                        + "Variable: BENCH_CALLEE=" + callee + "\r\n"
                        : "Action: Originate\r\nChannel: PJSIP/trunk/sip:" + prefix + n + "@" + callee + "\r\n"
                        + "Application: Wait\r\nData: 1\r\n";
                byte[] b = (action + "Timeout: 30000\r\nAsync: true\r\nActionID: " + n + "\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
                long wait;
                while ((wait = start + n * period - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                sent[n] = Clocks.epochMicros();
                o.write(b);
                o.flush();
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
                for (int n = 0; n < count; n++) {
                    w.println(n + "\t-\t201\t" + sent[n] + "\t" + sent[n] + "\t" + sent[n]);
                }
            }
            Thread.sleep(3000); // the last calls end (Wait(1)) before the connection, and with it nothing, closes
            o.write("Action: Logoff\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            System.out.printf("originated %d calls straight through AMI (%s) at %d/s%n", count, mode, rate);
        }
    }
}
