import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quick start's TwiML app: a few documents on loopback, printing every webhook request it gets (the
 * parameters and X-Twilio-Signature) and the TwiML it answers with. JDK only: run with `java SampleApp.java PORT`.
 */
public class SampleApp {
    static final Map<String, String> DOCUMENTS = Map.of(
            "/voice", """
                    <Response>
                      <Say voice="woman">Welcome to twiml agi, running your Twilio app on Asterisk.</Say>
                      <Redirect>/goodbye</Redirect>
                    </Response>""",
            "/goodbye", """
                    <Response>
                      <Pause length="1"/>
                      <Say>Goodbye.</Say>
                      <Hangup/>
                    </Response>""");

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 16);
        server.createContext("/", SampleApp::handle);
        server.start();
        System.out.println("sample TwiML app on http://127.0.0.1:" + args[0]);
    }

    static void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = ex.getRequestURI().getRawQuery();
        Map<String, String> params = new TreeMap<>();
        for (String form : new String[] {body, query == null ? "" : query}) {
            for (String pair : form.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, Math.max(eq, 0)), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String path = ex.getRequestURI().getPath();
        StringBuilder out = new StringBuilder("\n=== webhook " + ex.getRequestMethod() + " " + path + "\n");
        out.append("    X-Twilio-Signature: ").append(ex.getRequestHeaders().getFirst("X-Twilio-Signature")).append('\n');
        params.forEach((k, v) -> out.append("    ").append(k).append(" = ").append(v).append('\n'));
        String twiml = DOCUMENTS.get(path);
        int status = twiml == null ? 404 : 200;
        out.append("=== TwiML returned (HTTP ").append(status).append(")\n").append(twiml == null ? "" : twiml).append('\n');
        System.out.print(out);
        System.out.flush();
        byte[] bytes = (twiml == null ? "not found" : twiml).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", twiml == null ? "text/plain" : "text/xml");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
    }
}
