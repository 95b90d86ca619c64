package io.twimlagi.stream;

import io.twimlagi.media.Ulaw;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Twilio's mark and clear semantics, frame by frame. */
class PlayoutTest {
    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void nothingQueuedIsNoAudio() {
        Playout p = new Playout(8000, false);
        Playout.Frame f = p.next();
        assertNull(f.audio());
        assertEquals(List.of(), f.marks());
    }

    @Test
    void audioIsOneContinuousStreamAcrossMessages() {
        Playout p = new Playout(8000, false);
        p.add(bytes(100, 1));
        p.add(bytes(100, 2));
        byte[] first = p.next().audio();
        assertEquals(1, first[99]);
        assertEquals(2, first[100]);
        assertEquals(2, first[159]);
        byte[] second = p.next().audio();
        assertEquals(2, second[39]);
        assertEquals(Ulaw.SILENCE, second[40], "the tail is completed with silence when nothing follows");
        assertNull(p.next().audio());
    }

    @Test
    void aMarkComesBackOneFrameAfterTheFrameHoldingItsLastByte() {
        Playout p = new Playout(80_000, true);
        p.add(bytes(3 * 160, 5));
        p.mark("after-three-frames");
        for (int i = 0; i < 3; i++) {
            Playout.Frame f = p.next();
            assertArrayEquals(bytes(160, 5), f.audio());
            assertEquals(List.of(), f.marks(), "frame " + i + ": its audio is still playing");
        }
        Playout.Frame f = p.next();
        assertNull(f.audio());
        assertEquals(List.of("after-three-frames"), f.marks(), "the third frame has been heard");
    }

    @Test
    void aMarkInsideAFrameIsDueAtTheNextFrameAndAudioIsNotPaddedAroundIt() {
        Playout p = new Playout(80_000, true);
        p.add(bytes(100, 1));
        p.mark("m");
        p.add(bytes(200, 2));
        Playout.Frame f1 = p.next();
        assertEquals(2, f1.audio()[100], "the audio after the mark continues in the same frame");
        assertEquals(List.of(), f1.marks());
        Playout.Frame f2 = p.next();
        assertEquals(List.of("m"), f2.marks());
        assertEquals(2, f2.audio()[0]);
    }

    @Test
    void aMarkWithNothingBeforeItIsEchoedAtTheNextFrame() {
        Playout p = new Playout(8000, false);
        p.mark("alone");
        assertEquals(List.of("alone"), p.next().marks());
    }

    @Test
    void clearDropsTheAudioAndGivesBackEveryPendingMarkInOrder() {
        Playout p = new Playout(80_000, true);
        p.add(bytes(100, 1));
        p.mark("a");
        p.add(bytes(1600, 2));
        p.mark("b");
        p.add(bytes(1600, 3));
        p.mark("c");
        p.next(); // "a" passed inside this frame: pending until the next one
        assertEquals(List.of("a", "b", "c"), p.clear());
        assertEquals(0, p.queuedBytes());
        Playout.Frame after = p.next();
        assertNull(after.audio());
        assertEquals(List.of(), after.marks(), "cleared marks are not echoed twice");
    }

    @Test
    void audioBeyondTheBoundIsRefusedAndTheRestStillPlays() {
        Playout p = new Playout(1000, false);
        assertTrue(p.add(bytes(800, 1)));
        assertFalse(p.add(bytes(300, 2)), "would exceed the bound");
        assertTrue(p.add(bytes(200, 3)));
        assertEquals(1000, p.queuedBytes());
        assertEquals(1, p.next().audio()[0]);
    }

    @Test
    void marksAreBounded() {
        Playout p = new Playout(8000, false);
        for (int i = 0; i < Playout.MAX_MARKS; i++) assertTrue(p.mark("m" + i));
        assertFalse(p.mark("one too many"));
        assertEquals(Playout.MAX_MARKS, p.clear().size());
        assertTrue(p.mark("again"));
    }

    /** Loud μ-law (0x10: -6 dBFS a sample), numbered in its first byte; and silence. */
    private static byte[] speech(int k) {
        byte[] b = bytes(160, 0x10);
        b[0] = (byte) (0x20 + k % 64);
        return b;
    }

    private static final byte[] SILENCE = bytes(160, 0xFF);

    @Test
    void aStandingBacklogOfSpeechIsNeverTrimmed() {
        Playout p = new Playout(80_000, true);
        p.add(bytes(3 * 160, 0x10)); // a hiccup left three frames waiting
        for (int tick = 0; tick < 10 * Playout.STANDING_FRAMES; tick++) {
            p.add(speech(tick)); // one frame arrives per frame played: the backlog stays
            byte[] played = p.next().audio();
            if (tick >= 3) assertEquals((byte) (0x20 + (tick - 3) % 64), played[0], "tick " + tick + ": in order");
        }
        assertEquals(0, p.trimmed(), "Twilio plays every byte of sound an app sends");
        assertEquals(3 * 160, p.queuedBytes());
    }

    @Test
    void aStandingBacklogShedsSilentFramesOnlyAndEverySoundStillPlaysInOrder() {
        Playout p = new Playout(80_000, true);
        p.add(bytes(10 * 160, 0x10)); // 200 ms of an echo held up (a TCP retransmit), then delivered at once
        List<Integer> heard = new ArrayList<>();
        int spoken = 0;
        for (int tick = 0; tick < 30 * Playout.STANDING_FRAMES; tick++) {
            if (tick % 25 < 20) p.add(speech(spoken++)); // the stream goes on in real time: 400 ms of speech,
            else p.add(SILENCE);                          // then a 100 ms pause
            byte[] a = p.next().audio();
            if (a != null && a[0] != (byte) 0x10 && a[0] != (byte) 0xFF) heard.add((a[0] & 0xFF) - 0x20);
        }
        assertTrue(p.trimmed() >= 9, "the backlog is shed through the pauses: " + p.trimmed());
        assertTrue(p.queuedBytes() <= 2 * 160, "at most a frame or two still wait: " + p.queuedBytes());
        for (int i = 0; i < heard.size(); i++) assertEquals(i % 64, heard.get(i), "speech frame " + i + " played");
        assertTrue(heard.size() >= spoken - 2, "every spoken frame played (but the last in the queue): " + heard.size());
    }

    /** stream_playout = exact (the default): Twilio's semantics, every byte played, the silence too. */
    @Test
    void exactPlayoutKeepsAStandingBacklogAndPlaysEverySilentFrame() {
        Playout p = new Playout(80_000, false);
        p.add(bytes(10 * 160, 0x10));
        int sent = 10;
        int played = 0;
        int silentPlayed = 0;
        for (int tick = 0; tick < 30 * Playout.STANDING_FRAMES; tick++) {
            p.add(tick % 25 < 20 ? speech(tick) : SILENCE);
            sent++;
            byte[] a = p.next().audio();
            if (a != null) played++;
            if (a != null && a[0] == (byte) 0xFF) silentPlayed++;
        }
        assertEquals(0, p.trimmed());
        assertEquals(sent - played, p.queuedBytes() / 160, "nothing skipped: what was not played still waits");
        assertEquals(10 * 160, p.queuedBytes(), "the backlog stands");
        assertEquals((30 * Playout.STANDING_FRAMES - 10) / 25 * 5, silentPlayed, "every pause played whole");
    }

    @Test
    void silenceMeansAtMostMinus50dBFS() {
        assertTrue(Playout.silent(SILENCE, 0));
        byte[] quiet = bytes(160, 0xEF); // 132 of 32768 at every sample: -47.9 dBFS
        assertFalse(Playout.silent(quiet, 0), "-48 dBFS is not silence");
        byte[] hiss = bytes(160, 0xFF);
        for (int i = 0; i < 160; i += 8) hiss[i] = (byte) 0xEF;
        assertTrue(Playout.silent(hiss, 0), "-57 dBFS (the same at one sample in eight) is");
        assertFalse(Playout.silent(speech(1), 0));
    }

    @Test
    void aBotSendingFasterThanItPlaysIsNeverTrimmed() {
        Playout p = new Playout(800_000, true);
        for (int tick = 0; tick < 10 * Playout.STANDING_FRAMES; tick++) {
            p.add(bytes(240, 4)); // a TTS streaming at 1.5 times real time
            p.next();
        }
        assertEquals(0, p.trimmed());
        assertEquals(10 * Playout.STANDING_FRAMES * 80, p.queuedBytes(), "everything it sent is still to play");
    }

    @Test
    void aBotSendingAheadIsNeverTrimmed() {
        Playout p = new Playout(800_000, true);
        p.add(bytes(1500 * 160, 3)); // 30 s at once
        for (int i = 0; i < 1500; i++) assertArrayEquals(bytes(160, 3), p.next().audio(), "frame " + i);
        assertEquals(0, p.trimmed());
        assertNull(p.next().audio());
    }

    @Test
    void aMarkAfterSkippedSilenceComesBackWhenTheSoundBeforeItPlayed() {
        Playout p = new Playout(80_000, true);
        p.add(bytes(3 * 160, 0x10)); // a standing backlog: four frames wait at each tick below
        int trimTick = Playout.STANDING_FRAMES - 1; // the window's verdict comes at its last frame, which sheds
        for (int tick = 0; tick <= trimTick + 6; tick++) {
            if (tick == trimTick - 3) { // silence with a mark after it, at the head when the shedding starts
                p.add(SILENCE);
                p.mark("after-the-pause");
            } else {
                p.add(speech(tick));
            }
            Playout.Frame f = p.next();
            if (tick < trimTick) {
                assertEquals(0, p.trimmed(), "tick " + tick);
                assertTrue(f.marks().isEmpty(), "tick " + tick);
            } else if (tick == trimTick) {
                assertEquals(1, p.trimmed(), "the silent frame was skipped");
                assertEquals(List.of("after-the-pause"), f.marks(), "its mark is due: the sound before it played");
                assertEquals((byte) (0x20 + (trimTick - 2) % 64), f.audio()[0], "the frame after the pause plays");
            } else {
                assertTrue(f.marks().isEmpty());
                assertEquals(1, p.trimmed(), "no more silence to skip");
            }
        }
    }

    /** 2.4 MB of 1-byte messages would be 2.4 million queued items (about 50 times their bytes on the heap). */
    @Test
    void tinyMessagesAreCoalescedAndStillPlayInOrder() {
        Playout p = new Playout(2_400_000, false);
        for (int i = 0; i < 100_000; i++) assertTrue(p.add(new byte[] {(byte) (i % 100)}));
        assertTrue(p.items() <= 100_000 / Playout.COALESCE + 1, "items: " + p.items());
        byte[] first = p.next().audio();
        for (int i = 0; i < Playout.FRAME; i++) assertEquals((byte) (i % 100), first[i], "byte " + i);
        assertEquals(100_000 - Playout.FRAME, p.queuedBytes());
    }

    @Test
    void markNamesAreBoundedInCharactersToo() {
        Playout p = new Playout(8000, false);
        String big = "m".repeat(100_000);
        int accepted = 0;
        while (p.mark(big)) accepted++;
        assertEquals(Playout.MAX_MARK_CHARS / 100_000, accepted, "a mebibyte of names, not 10,000 marks of any size");
        assertEquals(accepted, p.clear().stream().filter(big::equals).count(), "every accepted mark echoed on clear");
        assertTrue(p.mark(big), "clear frees the budget");
    }

    /** A tick took frame N (mark "a" due) and a clear of mark "b" comes before the tick echoed "a": "a" still goes first. */
    @Test
    void marksAreEchoedInOrderWhenATickAndAClearRace() throws Exception {
        Playout p = new Playout(8000, false);
        p.add(bytes(160, 1));
        p.mark("a");
        p.add(bytes(160, 2));
        p.mark("b");
        p.next(); // the frame before "a" plays: "a" is due at the next tick
        List<String> echoed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ticking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread tick = new Thread(() -> p.next(marks -> {
            ticking.countDown();
            try {
                release.await(5, TimeUnit.SECONDS); // the clock thread is preempted here, before its echo is out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            echoed.addAll(marks);
        }));
        tick.start();
        assertTrue(ticking.await(5, TimeUnit.SECONDS));
        Thread clear = new Thread(() -> p.clear(echoed::addAll));
        clear.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (clear.getState() != Thread.State.BLOCKED && clear.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the clear either waits for the tick's echo (blocked) or has run (the race)
        }
        release.countDown();
        tick.join(5000);
        clear.join(5000);
        assertEquals(List.of("a", "b"), echoed);
    }
}
