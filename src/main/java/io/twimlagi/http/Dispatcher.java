package io.twimlagi.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Jetty's handler for every request of an {@link HttpListener}: reads the body without holding a thread (bounded
 * by {@link HttpLimits#readTimeout} from the request's first byte, and by {@link HttpLimits#maxBodyBytes}), then
 * runs the matching {@link Route} on a worker thread; no route is 404. Logs name the route's pattern, never the
 * request's path (a path may carry a secret).
 */
final class Dispatcher extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final byte[] NO_BODY = new byte[0];

    private final String name;
    private final Routes routes;
    private final HttpLimits limits;

    Dispatcher(String name, Routes routes, HttpLimits limits) {
        this.name = name;
        this.routes = routes;
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long length = request.getLength();
        boolean chunked = length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (length == 0 || (length < 0 && !chunked)) {
            run(request, response, callback, NO_BODY);
            return true;
        }
        if (length > limits.maxBodyBytes()) {
            reject(request, response, callback, 413, "request body too large\n");
            return true;
        }
        long left = limits.readTimeout().toNanos() - NanoTime.since(request.getBeginNanoTime());
        if (left <= 0) {
            reject(request, response, callback, 408, "request not received in time\n");
            return true;
        }
        Content.Source.asByteArrayAsync(request, limits.maxBodyBytes())
                .orTimeout(left, TimeUnit.NANOSECONDS)
                .whenComplete((body, failure) -> request.getComponents().getExecutor().execute(() -> {
                    if (failure == null) {
                        run(request, response, callback, body);
                    } else if (unwrap(failure) instanceof TimeoutException) {
                        reject(request, response, callback, 408, "request not received in time\n");
                    } else {
                        reject(request, response, callback, 400, "bad request body\n");
                    }
                }));
        return true;
    }

    private void run(Request request, Response response, Callback callback, byte[] body) {
        Optional<Routes.Match> match = routes.match(Request.getPathInContext(request));
        Exchange x = new Exchange(request, response, callback, limits, body,
                match.map(Routes.Match::params).orElse(Map.of()));
        if (match.isEmpty()) {
            x.sendText(404, "not found\n");
            return;
        }
        String pattern = match.get().pattern();
        try {
            match.get().route().handle(x);
            if (!x.sent()) {
                log.warn("HTTP {} {} {}: the route sent no answer", name, request.getMethod(), pattern);
                x.sendText(500, "internal error\n");
            }
        } catch (HttpError e) {
            if (!x.sent()) x.sendText(e.status(), e.getMessage() + "\n");
        } catch (Exception | LinkageError | AssertionError e) {
            log.warn("HTTP {} {} {}: {}", name, request.getMethod(), pattern, e.toString());
            if (!x.sent()) {
                x.sendText(500, "internal error\n");
            } else {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
            }
        }
    }

    /** An answer before any route ran; the connection closes after it (the rest of the body is not read). */
    private static void reject(Request request, Response response, Callback callback, int status, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(bytes), callback);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
