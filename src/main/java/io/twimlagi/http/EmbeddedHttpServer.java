package io.twimlagi.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/** The server's own HTTP endpoint ({@code http_bind}): {@code GET /health} for now; recordings and metrics later. */
public final class EmbeddedHttpServer implements AutoCloseable {
    private final HttpServer server;

    public EmbeddedHttpServer(InetSocketAddress bind, IntSupplier activeCalls) throws IOException {
        server = HttpServer.create(bind, 64);
        server.createContext("/health", exchange -> {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain", "method not allowed\n");
                return;
            }
            send(exchange, 200, "application/json",
                    "{\"status\":\"ok\",\"activeCalls\":" + activeCalls.getAsInt() + "}\n");
        });
        server.createContext("/", exchange -> send(exchange, 404, "text/plain", "not found\n"));
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!exchange.getRequestMethod().equals("HEAD")) out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
