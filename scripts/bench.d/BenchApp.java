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
                "/park", "<Response><Pause length=\"60\"/></Response>");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String doc = docs.get(ex.getRequestURI().getPath());
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
