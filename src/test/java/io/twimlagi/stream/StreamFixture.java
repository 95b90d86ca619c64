package io.twimlagi.stream;

import io.twimlagi.audiosocket.AudioSocketServer;
import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import io.twimlagi.twiml.Verb;
import io.twimlagi.util.AddressList;
import io.twimlagi.webhook.AppWebSockets;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.OutboundGuard;
import io.twimlagi.webhook.WebhookClient;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Media Streams on an in-memory call: the real AudioSocket listener (a test's {@code FakeAudioSocket} plays
 * Asterisk), the real WebSocket client, a {@link StreamApp}, status callbacks sent for real.
 */
final class StreamFixture implements AutoCloseable {
    static final String TOKEN = "stream-test-token-0123456789abcdef";
    static final String CALL_SID = "CA" + "11".repeat(16);
    static final String ACCOUNT = "AC" + "22".repeat(16);

    final StreamApp app = new StreamApp();
    final AudioSocketServer audio = new AudioSocketServer(AddressList.LOOPBACK);
    final WebhookClient webhooks = new WebhookClient(TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(3));
    final CallbackSender callbacks = new CallbackSender(webhooks);
    final AppWebSockets sockets = new AppWebSockets(TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(3),
            OutboundGuard.linkLocalOnly());
    final MediaStreams streams = new MediaStreams(sockets, audio, callbacks, Duration.ofSeconds(3), false);
    final FakeCall call = new FakeCall();
    final CallContext ctx = new CallContext(call, CALL_SID, ACCOUNT,
            new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
            new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr",
                    HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));

    StreamFixture() throws Exception {
        audio.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    /** The first verb of {@code <Response>xml</Response>}; {@code {app}} stands for the app's ws:// base. */
    Verb verb(String xml) throws Exception {
        String doc = "<Response>" + xml.replace("{app}", app.url("")).replace("{http}", app.httpUrl("")
                .replaceAll("/$", "")) + "</Response>";
        return TwimlParser.parse(doc.getBytes(StandardCharsets.UTF_8)).verbs().get(0);
    }

    @Override
    public void close() {
        streams.close();
        audio.close();
        sockets.close();
        callbacks.close();
        webhooks.close();
        app.close();
    }
}
