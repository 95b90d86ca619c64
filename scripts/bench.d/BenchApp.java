import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/** The benchmark's webhook: fixed TwiML per path, keep-alive, as little work as possible. JDK only. */
public class BenchApp {
    public static void main(String[] args) throws IOException {
        String announce = args[1];
        String prompt = args[2];
        Map<String, String> docs = Map.of(
                "/reject", "<Response><Reject reason=\"busy\"/></Response>",
                "/announce", "<Response><Play>" + announce + "</Play><Hangup/></Response>",
                "/ivr", "<Response><Gather numDigits=\"1\" timeout=\"5\"><Play>" + prompt
                        + "</Play></Gather><Hangup/></Response>",
                "/park", "<Response><Pause length=\"60\"/></Response>",
                // scripts/soak's mix
                "/say", "<Response><Say>Thank you for calling. Goodbye.</Say><Hangup/></Response>",
                "/gather", "<Response><Gather timeout=\"1\" numDigits=\"1\"><Say>Press a key.</Say></Gather>"
                        + "<Say>No input.</Say></Response>",
                "/redirect", "<Response><Pause length=\"1\"/><Redirect>/reject</Redirect></Response>",
                "/invalid", "<Response><Say>unclosed</Response>",
                "/fallback", "<Response><Reject reason=\"busy\"/></Response>");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            if (path.equals("/error500")) {
                ex.sendResponseHeaders(500, -1);
                ex.close();
                return;
            }
            String doc = docs.get(path);
            byte[] body = (doc == null ? "<Response><Hangup/></Response>" : doc).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/xml");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        System.out.println("bench app ready");
    }
}
