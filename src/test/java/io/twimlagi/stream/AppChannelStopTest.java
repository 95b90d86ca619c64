package io.twimlagi.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stop} is the stream's last message: a media or dtmf the AudioSocket thread built just before the stream
 * ended (it checked the end, then the call ended on another thread) is not sent after it.
 */
class AppChannelStopTest {
    private static final String SID = "MZ" + "33".repeat(16);

    @Test
    void nothingGoesAfterTheStop() throws Exception {
        try (StreamFixture f = new StreamFixture()) {
            CountDownLatch opened = new CountDownLatch(1);
            AppChannel ch = new AppChannel(SID);
            ch.open(f.sockets, f.app.url("/stream/stop-last"), new AppChannel.Events() {
                @Override
                public void opened() {
                    opened.countDown();
                }

                @Override
                public void failedToOpen(AppChannel.Failure failure) {
                }

                @Override
                public void received(TwilioStreamProtocol.Inbound message) {
                }

                @Override
                public void closedByApp(AppChannel.Failure failure) {
                }
            });
            assertTrue(opened.await(5, TimeUnit.SECONDS));
            StreamApp.Connection c = f.app.awaitConnection(Duration.ofSeconds(5));
            assertTrue(ch.sendLast(new TwilioStreamProtocol.Stop(SID, StreamFixture.ACCOUNT, StreamFixture.CALL_SID)));
            assertFalse(ch.send(new TwilioStreamProtocol.Media(SID, "inbound", 1, 0, new byte[160])), "media");
            assertFalse(ch.send(new TwilioStreamProtocol.Dtmf(SID, '5')), "dtmf");
            assertFalse(ch.send(new TwilioStreamProtocol.Mark(SID, "m")), "mark");
            ch.close();
            assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
            List<String> events = c.messages().stream().map(StreamApp.Message::event).toList();
            assertEquals(List.of("stop"), events);
        }
    }
}
