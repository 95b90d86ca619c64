package io.twimlagi.stream;

import io.twimlagi.media.Ulaw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a bidirectional stream's app sent to be played, in order: μ-law audio of any length and the marks between
 * it. {@link #next()} is called once per 20 ms frame by the stream clock and takes 160 bytes (across message
 * boundaries: audio is one continuous byte stream; a short tail is completed with silence only when nothing follows
 * it yet). A mark is due one frame after the frame holding the last byte before it was sent, that is once that audio
 * has been heard; {@link #clear()} drops the audio at once and gives back every pending mark, as Twilio does.
 *
 * <p>Bounded: at most {@link #maxBytes} of audio (more is refused, see {@link #add}), {@link #MAX_MARKS} pending
 * marks of at most {@link #MAX_MARK_CHARS} characters in all, and tiny audio messages coalesced ({@link #COALESCE}). Thread-safe: the app's messages arrive on the WebSocket's thread, frames are taken on the clock's.
 */
final class Playout {
    /** 20 ms of 8 kHz μ-law. */
    static final int FRAME = 160;
    static final int MAX_MARKS = 10_000;
    /** The most characters of pending mark names (an app's names are its own: they must not grow the heap). */
    static final int MAX_MARK_CHARS = 1 << 20;
    /** Audio messages shorter than this are appended to a short tail, so tiny messages cannot multiply the items. */
    static final int COALESCE = 4096;
    /**
     * A standing backlog of real-time audio (see {@link #next()}): over a window of {@link #STANDING_FRAMES} frames,
     * at least {@link #TRIM_FLOOR} always queued, at most {@link #TRIM_CEILING}, and audio arriving at the pace it
     * plays ({@link #REAL_TIME_MIN} to {@link #REAL_TIME_MAX} frames in the window). Only silent frames
     * ({@link #silent}) of it are ever skipped.
     */
    static final int TRIM_FLOOR = 2 * FRAME;
    static final int TRIM_CEILING = 50 * FRAME;
    static final int STANDING_FRAMES = 50;
    static final int REAL_TIME_MIN = 45;
    static final int REAL_TIME_MAX = 55;
    /**
     * A frame is silent when its mean power is at most -50 dBFS: the sum of its squared samples (of 32768) is at most
     * 160 * 32768^2 / 10^5.
     */
    static final long SILENT_ENERGY = 160L * 32768 * 32768 / 100_000;
    private static final int[] SQUARE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = Ulaw.decode((byte) i);
            SQUARE[i] = x * x;
        }
    }

    /** One frame to send and the marks to echo now; {@code audio} is null when there is nothing to play. */
    record Frame(byte[] audio, List<String> marks) {
    }

    private sealed interface Item permits Audio, Mark {
    }

    private static final class Audio implements Item {
        final byte[] bytes;
        int offset;

        Audio(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private record Mark(String name) implements Item {
    }

    private final int maxBytes;
    /** stream_playout = shed_silence: a standing backlog of real-time audio is shed through its silent frames. */
    private final boolean shedSilence;
    private final Deque<Item> queue = new ArrayDeque<>();
    /** Marks passed while building the last frame: their audio ends inside it, so they are due at the next one. */
    private List<String> passed = new ArrayList<>();
    private int queuedBytes;
    private int marks;
    private long markChars;
    /** The current window: frames taken, the least audio queued at a frame, the audio that arrived. */
    private int windowFrames;
    private int windowLeast = Integer.MAX_VALUE;
    private long windowArrived;
    /** Silent frames of a standing backlog that may still be skipped (until the next window's verdict). */
    private int shed;
    private long trimmed;
    private final byte[] skipped = new byte[FRAME];

    /**
     * @param maxBytes    the most audio queued at once (8000 bytes per second)
     * @param shedSilence whether a standing backlog may be shed through its silent frames (see {@link #next()});
     *                    false: every byte is played, as Twilio does
     */
    Playout(int maxBytes, boolean shedSilence) {
        this.maxBytes = maxBytes;
        this.shedSilence = shedSilence;
    }

    /** Queues audio; false (nothing queued) when it would exceed the bound. */
    synchronized boolean add(byte[] ulaw) {
        if (ulaw.length == 0) return true;
        if ((long) queuedBytes + ulaw.length > maxBytes) return false;
        if (ulaw.length < COALESCE && queue.peekLast() instanceof Audio tail && tail.offset == 0
                && tail.bytes.length < COALESCE) {
            byte[] joined = Arrays.copyOf(tail.bytes, tail.bytes.length + ulaw.length);
            System.arraycopy(ulaw, 0, joined, tail.bytes.length, ulaw.length);
            queue.pollLast();
            queue.add(new Audio(joined));
        } else {
            queue.add(new Audio(ulaw));
        }
        queuedBytes += ulaw.length;
        if (shedSilence) windowArrived += ulaw.length; // read only by the shedding
        return true;
    }

    /** Queues a mark after the audio queued so far; false when too many marks are pending. */
    synchronized boolean mark(String name) {
        if (marks >= MAX_MARKS || markChars + name.length() > MAX_MARK_CHARS) return false;
        queue.add(new Mark(name));
        marks++;
        markChars += name.length();
        return true;
    }

    /**
     * Drops all queued audio and hands the pending marks, in order, to {@code echo} (when there are any) before
     * another frame can be taken: marks go out in order even when a tick and a clear race (see {@link #next(Consumer)}).
     */
    synchronized void clear(Consumer<List<String>> echo) {
        List<String> marks = clear();
        if (!marks.isEmpty()) echo.accept(marks);
    }

    /** Drops all queued audio; returns the pending marks, in order, to echo at once. */
    synchronized List<String> clear() {
        List<String> out = new ArrayList<>(passed);
        passed = new ArrayList<>();
        for (Item i : queue) {
            if (i instanceof Mark m) out.add(m.name());
        }
        queue.clear();
        queuedBytes = 0;
        shed = 0;
        marks = 0;
        markChars = 0;
        return out;
    }

    /**
     * The next 20 ms: up to 160 bytes of audio (silence-padded) and the marks due now.
     *
     * <p>Twilio plays every byte an app sends, in order; so does this. With {@code shedSilence} (stream_playout =
     * shed_silence) there is one exception that no caller hears. Audio
     * that arrives in real time (an echo, a relay) keeps whatever backlog a moment of delay gave it: frames held up
     * 200 ms on their way and then delivered at once stay 200 ms late for ever, and clock drift between the caller
     * and us makes a long call creep. So when, for a whole second, at least two frames waited at every frame (the
     * queue never ran dry), no more than a second of audio was queued, and the audio kept arriving at the pace it
     * plays (45 to 55 frames in that second), the backlog that stood all second (less one frame) may be shed over
     * the next second, but only by skipping whole frames of silence (at most -50 dBFS) as they come to the head: a
     * pause gets shorter, no sound is ever dropped, and marks keep their place. A bot that sends ahead is never
     * trimmed: its audio arrives in bursts faster than it plays (or not at all while it plays), and the queue then
     * drains.
     */
    synchronized Frame next() {
        return next(null);
    }

    /**
     * {@link #next()}, with the marks due handed to {@code echo} (when there are any) before the lock is released:
     * a {@code clear} on another thread cannot send its marks between this frame's taking and its marks' echo, which
     * would echo the later marks first.
     */
    synchronized Frame next(Consumer<List<String>> echo) {
        Frame f = nextFrame();
        if (echo != null && !f.marks().isEmpty()) echo.accept(f.marks());
        return f;
    }

    private Frame nextFrame() {
        List<String> due = passed;
        passed = new ArrayList<>();
        popMarks(due);
        if (shedSilence) shedStandingBacklog(due);
        if (queue.isEmpty()) return new Frame(null, due);
        byte[] frame = new byte[FRAME];
        int filled = take(frame);
        if (filled < FRAME) Arrays.fill(frame, filled, FRAME, Ulaw.SILENCE);
        return new Frame(frame, due);
    }

    /** Judges each window, and skips the silent head frames of a standing backlog (marks passed are due now). */
    private void shedStandingBacklog(List<String> due) {
        windowLeast = Math.min(windowLeast, queuedBytes);
        if (++windowFrames >= STANDING_FRAMES) {
            boolean standing = windowLeast >= TRIM_FLOOR && windowLeast <= TRIM_CEILING
                    && windowArrived >= (long) REAL_TIME_MIN * FRAME && windowArrived <= (long) REAL_TIME_MAX * FRAME;
            shed = standing ? windowLeast / FRAME - 1 : 0;
            windowFrames = 0;
            windowLeast = Integer.MAX_VALUE;
            windowArrived = 0;
        }
        while (shed > 0 && queuedBytes >= 2 * FRAME && headFrameSilent()) {
            take(skipped);
            shed--;
            trimmed++;
            popMarks(due); // a mark right after the skipped silence: its audio is out
        }
    }

    /** Marks at the head: nothing of this frame precedes them, so their audio is out. */
    private void popMarks(List<String> due) {
        while (queue.peek() instanceof Mark m) {
            queue.poll();
            marks--;
            markChars -= m.name().length();
            due.add(m.name());
        }
    }

    /** True when the next frame lies whole in the head audio (no mark inside it) and is silent. */
    private boolean headFrameSilent() {
        return queue.peek() instanceof Audio a && a.bytes.length - a.offset >= FRAME && silent(a.bytes, a.offset);
    }

    /** Whether the 160 μ-law bytes from {@code offset} are silence: mean power at most -50 dBFS. */
    static boolean silent(byte[] ulaw, int offset) {
        long energy = 0;
        for (int i = offset; i < offset + FRAME; i++) energy += SQUARE[ulaw[i] & 0xFF];
        return energy <= SILENT_ENERGY;
    }

    /** Silent frames skipped to shed a standing backlog. */
    synchronized long trimmed() {
        return trimmed;
    }

    /** Moves up to one frame of queued audio into {@code frame}; marks passed on the way are due next frame. */
    private int take(byte[] frame) {
        int filled = 0;
        while (filled < FRAME && !queue.isEmpty()) {
            Item head = queue.peek();
            if (head instanceof Mark m) {
                queue.poll();
                marks--;
                markChars -= m.name().length();
                passed.add(m.name());
                continue;
            }
            Audio a = (Audio) head;
            int n = Math.min(FRAME - filled, a.bytes.length - a.offset);
            System.arraycopy(a.bytes, a.offset, frame, filled, n);
            a.offset += n;
            filled += n;
            queuedBytes -= n;
            if (a.offset == a.bytes.length) queue.poll();
        }
        return filled;
    }

    /** Items queued (audio pieces and marks): what the app's messages cost beyond their bytes. */
    synchronized int items() {
        return queue.size();
    }

    /** Bytes of audio waiting. */
    synchronized int queuedBytes() {
        return queuedBytes;
    }
}
