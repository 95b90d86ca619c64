package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * WebSockets to apps, for Media Streams (OkHttp's client; the app is the server). Each one is opened like Twilio
 * opens it: a GET upgrade with {@code X-Twilio-Signature} computed over the URL as given (a {@code wss://} URL and no
 * parameters), Twilio's media user agent, no query string (the caller removes it). Connections go through the
 * {@link OutboundGuard} (never to our own listeners or link-local addresses) with {@code TCP_NODELAY}: a 20 ms
 * media message never waits for the app's delayed ACK. No read timeout after the upgrade (a unidirectional
 * stream's app never writes) and no pings, as Twilio.
 */
public final class AppWebSockets implements AutoCloseable {
    static final String USER_AGENT = "Twilio.TmeWs/1.0";

    private final String authToken;
    private final OkHttpClient client;

    /**
     * @param connectTimeout TCP connect
     * @param handshake      the whole opening (connect, TLS, upgrade)
     */
    public AppWebSockets(String authToken, Duration connectTimeout, Duration handshake, OutboundGuard guard) {
        this.authToken = authToken;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(100_000);
        dispatcher.setMaxRequestsPerHost(100_000);
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .socketFactory(new NoDelaySockets(guard.socketFactory()))
                .connectTimeout(connectTimeout)
                .readTimeout(handshake)
                .writeTimeout(handshake)
                .callTimeout(handshake)
                .pingInterval(0, TimeUnit.MILLISECONDS)
                .addInterceptor(AppWebSockets::withoutCompression) // OkHttp skips network interceptors on WebSockets
                .followRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Opens {@code url} ({@code ws://} or {@code wss://}); the listener hears how it goes, on OkHttp's threads. */
    public WebSocket open(String url, WebSocketListener listener) {
        Request request = new Request.Builder().url(url)
                .header("User-Agent", USER_AGENT)
                .header("X-Twilio-Signature", RequestSigner.sign(authToken, url, HttpMethod.GET, Map.of()))
                .build();
        return client.newWebSocket(request, listener);
    }

    /**
     * OkHttp always offers permessage-deflate and inflates a whole message into memory with no bound: a small
     * compressed frame could become gigabytes. Twilio's protocol is JSON with base64 audio and needs no compression,
     * so the offer and any acceptance are removed (a compressed frame then fails the stream: unexpected rsv1).
     */
    private static Response withoutCompression(Interceptor.Chain chain) throws IOException {
        Request plain = chain.request().newBuilder().removeHeader(EXTENSIONS).build();
        return chain.proceed(plain).newBuilder().removeHeader(EXTENSIONS).build();
    }

    static final String EXTENSIONS = "Sec-WebSocket-Extensions";

    /** True when {@code failure} came from the guard (our own listener, a link-local address). */
    public static boolean refusedByGuard(Throwable failure) {
        return OutboundGuard.refusalIn(failure).isPresent();
    }

    @Override
    public void close() {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** The guard's sockets with TCP_NODELAY. */
    private static final class NoDelaySockets extends SocketFactory {
        private final SocketFactory guarded;

        NoDelaySockets(SocketFactory guarded) {
            this.guarded = guarded;
        }

        private static Socket noDelay(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(guarded.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(guarded.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(guarded.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(guarded.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(guarded.createSocket(address, port, localAddress, localPort));
        }
    }
}
