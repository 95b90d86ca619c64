package io.twimlagi.sip;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SipCapture: HEPv3 as res_hep sends it (layout checked against Asterisk 22's packets), and what it keeps. */
class SipCaptureTest {
    static final String CALL_ID = "35d89940-e5bf-4085-9c75-6e7f90265e9a";

    /** A HEPv3 packet laid out like Asterisk's: family, proto, ports, time, protocol type, id, addrs, uuid, payload. */
    static byte[] hep(String sip, int protocolType, String authKey) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        chunk(chunks, 1, new byte[] {2});
        chunk(chunks, 2, new byte[] {17});
        chunk(chunks, 7, new byte[] {0x13, (byte) 0xd0});
        chunk(chunks, 8, new byte[] {0x13, (byte) 0xc4});
        chunk(chunks, 9, new byte[] {0x6b, 0x09, 0x78, 0x32});
        chunk(chunks, 10, new byte[] {0, 0x0b, 0x2f, 0x48});
        chunk(chunks, 11, new byte[] {(byte) protocolType});
        chunk(chunks, 12, new byte[] {0, 0, 7, (byte) 0xea});
        chunk(chunks, 3, new byte[] {127, 0, 0, 1});
        chunk(chunks, 4, new byte[] {127, 0, 0, 1});
        if (authKey != null) chunk(chunks, 14, authKey.getBytes(StandardCharsets.UTF_8));
        chunk(chunks, 17, CALL_ID.getBytes(StandardCharsets.UTF_8));
        chunk(chunks, 15, sip.getBytes(StandardCharsets.UTF_8));
        byte[] body = chunks.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("HEP3".getBytes(StandardCharsets.US_ASCII));
        int total = body.length + 6;
        out.write(total >> 8);
        out.write(total);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, int type, byte[] value) {
        int len = value.length + 6;
        out.write(0);
        out.write(0);
        out.write(type >> 8);
        out.write(type);
        out.write(len >> 8);
        out.write(len);
        out.writeBytes(value);
    }

    static String response(int code, String callId, String cseq, String... headers) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + code + " Whatever\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bKPj7323af54\r\n"
                + "From: \"sipp\" <sip:+15550001111@127.0.0.1>;tag=4c5cb3e1\r\n"
                + "To: <sip:bob@127.0.0.1>;tag=22829SIPpTag011\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + "\r\n");
        for (String h : headers) b.append(h).append("\r\n");
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    static void feed(SipCapture c, String sip) {
        byte[] p = hep(sip, 1, null);
        c.accept(p, p.length);
    }

    @Test
    void aFinalResponsesXHeadersAreKeptByCallIdAndCode() {
        SipCapture c = new SipCapture(null);
        feed(c, "INVITE sip:bob@127.0.0.1:5072 SIP/2.0\r\nCall-ID: " + CALL_ID + "\r\nCSeq: 32511 INVITE\r\n\r\n");
        feed(c, response(401, CALL_ID, "32511 INVITE", "X-Callee-Result: challenged"));
        feed(c, response(486, CALL_ID, "32512 INVITE", "X-Callee-Result: rejected", "x-lower: kept",
                "X-Callee-Result: second", "User-to-User: 56a390f3d2b7310023a2;encoding=hex", "Reason: SIP;cause=486",
                "X-Empty:"));
        SipCapture.FinalResponse r = c.finalResponse(CALL_ID, 486, Duration.ZERO);
        assertNotNull(r);
        assertEquals(Map.of("X-Callee-Result", "rejected", "x-lower", "kept", "X-Empty", ""), r.xHeaders(),
                "X- headers only (Twilio reports no others), the first value of a repeated name");
        assertEquals(List.of("X-Callee-Result", "x-lower", "X-Empty"), List.copyOf(r.xHeaders().keySet()),
                "message order");
        assertEquals("challenged", c.finalResponse(CALL_ID, 401, Duration.ZERO).xHeaders().get("X-Callee-Result"));
        assertNull(c.finalResponse(CALL_ID, 603, Duration.ZERO), "no such response");
        assertNull(c.finalResponse("other", 486, Duration.ZERO));
        assertNull(c.finalResponse(null, 486, Duration.ZERO));
    }

    @Test
    void headerValuesWithControlCharactersOrBareLineFeedsNeverPassAndTheFirstValueRules() {
        SipCapture c = new SipCapture(null);
        // pjsip accepts a bare LF as a line end: "X-Nl: a\nFAKE: b" is two headers, never one value with a LF
        feed(c, "SIP/2.0 486 Busy\nCall-ID: lf\nCSeq: 1 INVITE\nX-Nl: a\nFAKE: b\nX-Ctl: a\u0001b\n"
                + "X-Ctl: clean\n\n");
        SipCapture.FinalResponse r = c.finalResponse("lf", 486, Duration.ZERO);
        assertEquals(Map.of("X-Nl", "a"), r.xHeaders(), "a dropped first value is not replaced by a later one");
        feed(c, response(486, "long", "1 INVITE", "X-Long: " + "a".repeat(5000), "X-Long: short", "X-After: 1"));
        assertEquals(Map.of("X-After", "1"), c.finalResponse("long", 486, Duration.ZERO).xHeaders());
        feed(c, response(486, "x".repeat(300), "1 INVITE", "X-A: 1"));
        assertNull(c.finalResponse("x".repeat(300), 486, Duration.ZERO), "an over-long Call-ID is not kept");
    }

    @Test
    void responsesToOtherMethodsAndProvisionalsAreNotFinals() {
        SipCapture c = new SipCapture(null);
        feed(c, response(486, CALL_ID, "2 BYE", "X-A: 1"));
        feed(c, response(183, CALL_ID, "1 INVITE", "X-A: 2"));
        assertNull(c.finalResponse(CALL_ID, 486, Duration.ZERO));
        assertNull(c.finalResponse(CALL_ID, 183, Duration.ZERO));
    }

    /** Runs {@code what} on a thread and returns once that thread waits on the capture (the wait path). */
    static <T> CompletableFuture<T> waiting(java.util.function.Supplier<T> what) throws InterruptedException {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> f.complete(what.get()));
        t.start();
        while (t.getState() != Thread.State.TIMED_WAITING && !f.isDone()) Thread.sleep(1);
        return f;
    }

    @Test
    void waitsForAFinalResponseThatArrivesLater() throws Exception {
        SipCapture c = new SipCapture(null);
        feed(c, "INVITE sip:bob@h SIP/2.0\r\nCall-ID: " + CALL_ID + "\r\nCSeq: 1 INVITE\r\n\r\n"); // live now
        CompletableFuture<SipCapture.FinalResponse> r = waiting(
                () -> c.finalResponse(CALL_ID, 603, Duration.ofSeconds(30)));
        assertFalse(r.isDone());
        feed(c, response(480, CALL_ID, "1 INVITE", "X-A: not this one"));
        feed(c, response(603, CALL_ID, "1 INVITE", "X-A: declined"));
        assertEquals("declined", r.get(10, TimeUnit.SECONDS).xHeaders().get("X-A"));
    }

    @Test
    void aMissingResponseIsWaitedForOnlyUpToTheBound() {
        SipCapture c = new SipCapture(null);
        feed(c, "INVITE sip:bob@h SIP/2.0\r\nCall-ID: " + CALL_ID + "\r\nCSeq: 1 INVITE\r\n\r\n");
        long t0 = System.nanoTime();
        assertNull(c.finalResponse(CALL_ID, 486, Duration.ofMillis(200)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 150 && ms < 5000, "waited " + ms + " ms for a bound of 200 ms");
    }

    @Test
    void withoutAnyPacketFromAsteriskNobodyWaits() {
        SipCapture c = new SipCapture(null);
        assertFalse(c.live());
        long t0 = System.nanoTime();
        assertNull(c.finalResponse(CALL_ID, 486, Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "returned at once");
    }

    @Test
    void ringingFiresOnceForTheWatchedCallId() {
        SipCapture c = new SipCapture(null);
        AtomicInteger rang = new AtomicInteger();
        c.onRinging(CALL_ID, rang::incrementAndGet);
        feed(c, response(100, CALL_ID, "1 INVITE"));
        assertEquals(0, rang.get());
        feed(c, response(180, CALL_ID, "1 INVITE"));
        feed(c, response(183, CALL_ID, "1 INVITE"));
        feed(c, response(180, CALL_ID, "1 INVITE"));
        assertEquals(1, rang.get());
        AtomicInteger unwatched = new AtomicInteger();
        feed(c, response(180, "leg-1", "1 INVITE")); // nobody watches it: nothing kept
        c.onRinging("leg-1", unwatched::incrementAndGet);
        assertEquals(0, unwatched.get(), "watchers are registered before the INVITE goes out");
        AtomicInteger stopped = new AtomicInteger();
        c.onRinging("leg-2", stopped::incrementAndGet);
        c.stopWatching("leg-2");
        feed(c, response(180, "leg-2", "1 INVITE"));
        assertEquals(0, stopped.get(), "a finished Dial's leg is not reported");
        c.onRinging("leg-3", () -> {
            throw new IllegalStateException("a failing watcher");
        });
        feed(c, response(180, "leg-3", "1 INVITE")); // logged, nothing thrown
    }

    @Test
    void malformedPacketsAreIgnored() {
        SipCapture c = new SipCapture(null);
        byte[] good = hep(response(486, CALL_ID, "1 INVITE", "X-A: 1"), 1, null);
        for (int cut = 0; cut < good.length - 1; cut += 7) c.accept(good, cut); // truncated anywhere
        byte[] bad = good.clone();
        bad[3] = '2';
        c.accept(bad, bad.length); // HEP2
        byte[] rtcp = hep(response(486, CALL_ID, "1 INVITE", "X-A: 1"), 5, null);
        c.accept(rtcp, rtcp.length); // not SIP
        byte[] chunkTooLong = good.clone();
        chunkTooLong[6 + 5] = (byte) 0xff; // first chunk's length beyond the packet
        c.accept(chunkTooLong, chunkTooLong.length);
        feed(c, "garbage\r\n\r\n");
        feed(c, "SIP/2.0 9999 Nope\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n");
        assertNull(c.finalResponse(CALL_ID, 486, Duration.ZERO));
    }

    @Test
    void aPasswordDropsPacketsWithoutIt() {
        SipCapture c = new SipCapture("s3cret");
        byte[] none = hep(response(486, "a", "1 INVITE", "X-A: 1"), 1, null);
        byte[] wrong = hep(response(486, "b", "1 INVITE", "X-A: 1"), 1, "guess");
        byte[] right = hep(response(486, "c", "1 INVITE", "X-A: 1"), 1, "s3cret\0"); // res_hep may send the NUL
        c.accept(none, none.length);
        c.accept(wrong, wrong.length);
        c.accept(right, right.length);
        assertNull(c.finalResponse("a", 486, Duration.ZERO));
        assertNull(c.finalResponse("b", 486, Duration.ZERO));
        assertNotNull(c.finalResponse("c", 486, Duration.ZERO));
    }

    @Test
    void keepsABoundedNumberOfDialogsAndHeaders() {
        SipCapture c = new SipCapture(null);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) many.append("X-H").append(i).append(": v\r\n");
        feed(c, response(486, "first", "1 INVITE", many.toString().strip()));
        assertEquals(SipCapture.MAX_HEADERS, c.finalResponse("first", 486, Duration.ZERO).xHeaders().size());
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 10; i++) big.append("X-B").append(i).append(": ").append("b".repeat(1000)).append("\r\n");
        feed(c, response(486, "big", "1 INVITE", big.toString().strip()));
        int chars = c.finalResponse("big", 486, Duration.ZERO).xHeaders().entrySet().stream()
                .mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        assertTrue(chars <= SipMessage.MAX_HEADER_BYTES, chars + " characters kept");
        for (int i = 0; i < SipCapture.MAX_DIALOGS; i++) feed(c, response(486, "n" + i, "1 INVITE"));
        assertNull(c.finalResponse("first", 486, Duration.ZERO), "the oldest Call-ID was dropped");
        assertNotNull(c.finalResponse("n" + (SipCapture.MAX_DIALOGS - 1), 486, Duration.ZERO));
        c.onRinging("watched", () -> { });
        for (int i = 0; i < SipCapture.MAX_DIALOGS + 10; i++) feed(c, response(486, "m" + i, "1 INVITE"));
        AtomicInteger rang = new AtomicInteger();
        c.onRinging("watched", rang::incrementAndGet);
        feed(c, response(180, "watched", "1 INVITE"));
        assertEquals(1, rang.get(), "a flood of stray responses does not evict a watched leg");
    }

    @Test
    void listensOnUdp() throws Exception {
        InetSocketAddress addr;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
        try (SipCapture c = new SipCapture(null); DatagramSocket s = new DatagramSocket()) {
            c.listen(addr);
            CompletableFuture<Integer> rang = new CompletableFuture<>();
            c.onRinging(CALL_ID, () -> rang.complete(1));
            byte[] p = hep(response(180, CALL_ID, "1 INVITE"), 1, null);
            s.send(new DatagramPacket(p, p.length, addr));
            assertEquals(1, rang.get(10, TimeUnit.SECONDS));
            assertTrue(c.live());
            // a second capture on the same port cannot bind: it is empty, not an error
            try (SipCapture other = new SipCapture(null)) {
                other.listen(addr);
                assertFalse(other.live());
            }
        }
    }

    static String notify(String callId, int cseq, String event, String state, String sipfrag) {
        return "NOTIFY sip:x SIP/2.0\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " NOTIFY\r\n" + event
                + "\r\nSubscription-State: " + state + "\r\n\r\nSIP/2.0 " + sipfrag + "\r\n";
    }

    @Test
    void aReferOutcomeWaitsForTheFinalSipfragAndOnlyCountsTheWatchedRefer() throws Exception {
        SipCapture c = new SipCapture(null);
        feed(c, "SIP/2.0 202 Accepted\r\nCall-ID: d1\r\nCSeq: 5 REFER\r\n\r\n"); // not watched: ignored
        c.referStarting("d1");
        CompletableFuture<SipCapture.ReferOutcome> r = waiting(() -> c.referOutcome("d1", Duration.ofSeconds(30)));
        feed(c, "REFER sip:a@h SIP/2.0\r\nCall-ID: d1\r\nCSeq: 6 REFER\r\n\r\n");
        feed(c, "SIP/2.0 401 Unauthorized\r\nCall-ID: d1\r\nCSeq: 6 REFER\r\n\r\n"); // pjsip retries
        feed(c, "REFER sip:a@h SIP/2.0\r\nCall-ID: d1\r\nCSeq: 7 REFER\r\n\r\n");
        feed(c, "SIP/2.0 405 Not Allowed\r\nCall-ID: d1\r\nCSeq: 3 REFER\r\n\r\n"); // another transaction
        feed(c, "SIP/2.0 202 Accepted\r\nCall-ID: d1\r\nCSeq: 7 REFER\r\n\r\n");
        assertFalse(r.isDone());
        feed(c, notify("d1", 2, "o: refer;id=7", "active", "100 Trying"));
        feed(c, notify("d1", 3, "Event: refer;id=5", "terminated", "200 OK")); // an older REFER's subscription
        for (int i = 0; i < 40; i++) feed(c, notify("d1", 4, "Event: refer", "active", "180 Ringing"));
        feed(c, notify("d1", 5, "Event: refer;id=7", "terminated;reason=noresource", "486 Busy Here"));
        assertEquals(new SipCapture.ReferOutcome(202, 486, true), r.get(10, TimeUnit.SECONDS),
                "the final sipfrag after many provisional NOTIFYs");
        assertNull(c.referOutcome("d1", Duration.ZERO), "read once: the REFER is no longer watched");
        assertNull(c.referOutcome("never", Duration.ZERO));
    }

    @Test
    void anAcceptedReferWithoutSubscriptionIsOverAtOnce() throws Exception {
        SipCapture c = new SipCapture(null);
        feed(c, response(100, "unrelated", "1 INVITE")); // Asterisk is sending
        c.referStarting("d2");
        CompletableFuture<SipCapture.ReferOutcome> r = waiting(() -> c.referOutcome("d2", Duration.ofSeconds(30)));
        feed(c, "SIP/2.0 202 Accepted\r\nCall-ID: d2\r\nCSeq: 9 REFER\r\nRefer-Sub: false\r\n\r\n");
        assertEquals(new SipCapture.ReferOutcome(202, 0, true), r.get(10, TimeUnit.SECONDS));
        c.referStarting("d3");
        c.stopReferWatch("d3");
        feed(c, "SIP/2.0 202 Accepted\r\nCall-ID: d3\r\nCSeq: 9 REFER\r\n\r\n");
        assertNull(c.referOutcome("d3", Duration.ZERO), "no longer watched");
    }

    @Test
    void packetsFromSourcesOutsideSipCaptureAllowAreDroppedUnread() throws Exception {
        InetSocketAddress addr;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
        // Asterisk is 127.0.0.2 here; a local process sending from 127.0.0.1 is a stranger
        try (SipCapture c = new SipCapture(null, io.twimlagi.util.AddressList.parse("127.0.0.2"));
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket asterisk = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            c.listen(addr);
            CompletableFuture<Integer> forgedRang = new CompletableFuture<>();
            CompletableFuture<Integer> realRang = new CompletableFuture<>();
            c.onRinging("forged", () -> forgedRang.complete(1));
            c.onRinging("real", () -> realRang.complete(1));
            byte[] forged = hep(response(180, "forged", "1 INVITE"), 1, null);
            stranger.send(new DatagramPacket(forged, forged.length, addr));
            byte[] forgedFinal = hep(response(486, "forged", "1 INVITE", "X-Evil: 1"), 1, null);
            stranger.send(new DatagramPacket(forgedFinal, forgedFinal.length, addr));
            byte[] real = hep(response(180, "real", "1 INVITE"), 1, null);
            asterisk.send(new DatagramPacket(real, real.length, addr)); // queued after the stranger's
            assertEquals(1, realRang.get(10, TimeUnit.SECONDS));
            assertFalse(forgedRang.isDone(), "the stranger's 180 was never read");
            assertNull(c.finalResponse("forged", 486, Duration.ZERO));
            assertEquals(2, c.droppedFromStrangers());
        }
    }
}
