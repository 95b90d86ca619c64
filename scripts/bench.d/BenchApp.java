import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's webhook: fixed TwiML per path, keep-alive, as little work as possible. JDK only.
 *
 * <p>usage: BenchApp PORT ANNOUNCE_URL PROMPT_URL [MEDIA_DIR]. With MEDIA_DIR, {@code /media/NAME} serves that
 * folder's files as audio/wav with a day's {@code Cache-Control: max-age} (an app's static audio, as a CDN serves
 * it), so {@code <Play>} fetches each file once; an HTTP document may not play {@code file:} URLs.
 */
public class BenchApp {
    static Path mediaDir;

    public static void main(String[] args) throws IOException {
        String announce = args[1];
        String prompt = args[2];
        mediaDir = args.length > 3 ? Path.of(args[3]) : null;
        Map<String, String> docs = Map.of(
                "/reject", "<Response><Reject reason=\"busy\"/></Response>",
                "/announce", "<Response><Play>" + announce + "</Play><Hangup/></Response>",
                "/ivr", "<Response><Gather numDigits=\"1\" timeout=\"5\" action=\"hangup.xml\"><Play>" + prompt
                        + "</Play></Gather><Hangup/></Response>",
                "/hangup.xml", "<Response><Hangup/></Response>",
                "/park", "<Response><Pause length=\"60\"/></Response>",
                // scripts/soak's mix
                "/say", "<Response><Say>Thank you for calling. Goodbye.</Say><Hangup/></Response>",
                "/gather", "<Response><Gather timeout=\"1\" numDigits=\"1\"><Say>Press a key.</Say></Gather>"
                        + "<Say>No input.</Say></Response>",
                "/redirect", "<Response><Pause length=\"1\"/><Redirect>/reject</Redirect></Response>",
                "/invalid", "<Response><Say>unclosed</Response>",
                "/fallback", "<Response><Reject reason=\"busy\"/></Response>");
        // A blocking thread per keep-alive connection: one wake-up per request, so the figures measure
        // twiml-agi rather than the webhook server (the JDK's HttpServer adds two thread hand-offs).
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    Thread t = new Thread(() -> serve(s, docs));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.start();
        System.out.println("bench app ready");
    }

    /** Minimal HTTP/1.1 with keep-alive: request line, headers, Content-Length body; fixed TwiML answers. */
    static void serve(Socket socket, Map<String, String> docs) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) return;
                int length = 0;
                String h;
                while ((h = line(in)) != null && !h.isEmpty()) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                in.readNBytes(length);
                String target = requestLine.split(" ")[1];
                String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
                String head;
                byte[] body;
                if (mediaDir != null && path.startsWith("/media/") && !path.contains("..")) {
                    Path file = mediaDir.resolve(path.substring("/media/".length()));
                    body = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
                    head = (body.length > 0 ? "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nCache-Control: max-age=86400"
                            : "HTTP/1.1 404 Not Found") + "\r\nContent-Length: " + body.length + "\r\n\r\n";
                } else if (path.equals("/error500")) {
                    head = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
                    body = new byte[0];
                } else {
                    String doc = docs.getOrDefault(path, "<Response><Hangup/></Response>");
                    body = doc.getBytes(StandardCharsets.UTF_8);
                    head = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n";
                }
                byte[] h2 = head.getBytes(StandardCharsets.US_ASCII);
                byte[] all = new byte[h2.length + body.length];
                System.arraycopy(h2, 0, all, 0, h2.length);
                System.arraycopy(body, 0, all, h2.length, body.length);
                out.write(all);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // connection closed
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') return b.toString().replace("\r", "");
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }
}
