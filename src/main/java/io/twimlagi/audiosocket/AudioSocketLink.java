package io.twimlagi.audiosocket;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One AudioSocket connection from Asterisk, from before it connects (the UUID it will present) to its end. Writes
 * are non-blocking and whole frames only: a frame the socket cannot take now is dropped (counted), never half
 * written, so one stuck connection never holds the stream clock that writes to all of them.
 */
final class AudioSocketLink implements AudioLink {
    private final UUID id;
    private final String address;
    private final AudioSink sink;
    /** Forgets the link in the server once it ends. */
    private final Consumer<AudioSocketLink> forget;
    /** The longest hangUp waits for Asterisk to take the rest of a frame cut short. */
    static final long FINISH_NANOS = 100_000_000L;
    private final AtomicBoolean closed = new AtomicBoolean();
    private SocketChannel channel;
    private boolean ended;
    /**
     * The frame being written, reused (direct: no copy per write); while {@link #partial}, the socket took only part
     * of it and its rest goes before anything else (the next frame, the hangup message).
     */
    private ByteBuffer out;
    private boolean partial;
    private long dropped;
    /** When it was hung up before Asterisk connected (System.nanoTime), 0 otherwise. */
    private volatile long hungUpUnconnected;

    AudioSocketLink(UUID id, String address, AudioSink sink, Consumer<AudioSocketLink> forget) {
        this.id = id;
        this.address = address;
        this.sink = sink;
        this.forget = forget;
    }

    @Override
    public String id() {
        return id.toString();
    }

    UUID uuid() {
        return id;
    }

    @Override
    public String address() {
        return address;
    }

    AudioSink sink() {
        return sink;
    }

    /** Asterisk connected with this link's UUID; false when the link was hung up meanwhile (then it is closed). */
    boolean attach(SocketChannel c) {
        synchronized (this) {
            if (!ended) {
                channel = c;
                return true;
            }
        }
        writeHangupAndClose(c);
        return false;
    }

    @Override
    public void send(byte[] pcm) {
        synchronized (this) {
            if (channel == null || ended) return;
            try {
                if (partial) { // the rest of the last frame first: frames are never interleaved
                    channel.write(out);
                    if (out.hasRemaining()) {
                        dropped++;
                        return;
                    }
                    partial = false;
                }
                if (out == null || out.capacity() < 3 + pcm.length) out = ByteBuffer.allocateDirect(3 + pcm.length);
                out.clear();
                out.put(AudioSocketFrames.AUDIO).putShort((short) pcm.length).put(pcm).flip();
                channel.write(out);
                partial = out.hasRemaining();
            } catch (IOException e) {
                dropped++; // the reader sees the connection end and closes the link
            }
        }
    }

    /** Frames the socket could not take. */
    synchronized long dropped() {
        return dropped;
    }

    @Override
    public void hangUp() {
        SocketChannel c;
        synchronized (this) { // frames are written under this lock: once ended, none is, so the hangup goes after one
            if (ended) return;
            ended = true;
            c = channel;
        }
        // outside the lock: finishing a cut-short frame may wait, and the stream clock (send) must never wait for it;
        // ended stops every other writer, so this thread alone uses the channel and the frame buffer now
        if (c != null) {
            if (partial) finishPartial(c);
            writeHangupAndClose(c);
        } else {
            hungUpUnconnected = System.nanoTime();
        }
        ended();
    }

    /**
     * Completes the frame the socket took only part of, so that the hangup message is not read as its audio. Asterisk
     * reads what it is sent at once; after {@link #FINISH_NANOS} this gives up (the connection then just closes).
     */
    private void finishPartial(SocketChannel c) {
        long deadline = System.nanoTime() + FINISH_NANOS;
        try {
            while (true) {
                c.write(out);
                if (!out.hasRemaining()) {
                    partial = false;
                    return;
                }
                if (System.nanoTime() - deadline > 0) return;
                LockSupport.parkNanos(1_000_000);
            }
        } catch (IOException e) {
            // gone: closed next
        }
    }

    /** When it was hung up before Asterisk connected (the server still answers Asterisk's connection a while). */
    long hungUpUnconnected() {
        return hungUpUnconnected;
    }

    /** The connection ended from Asterisk's side (EOF, error, its hangup message). */
    void remoteEnded() {
        SocketChannel c;
        synchronized (this) {
            ended = true;
            c = channel;
        }
        if (c != null) closeQuietly(c);
        ended();
    }

    private void ended() {
        if (!closed.compareAndSet(false, true)) return;
        forget.accept(this);
        sink.closed();
    }

    /** AudioSocket's hangup message, then close: Asterisk's AudioSocket() returns 0, a channel of it hangs up. */
    private void writeHangupAndClose(SocketChannel c) {
        if (partial) { // a frame cut short: a hangup message now would be read as its audio
            closeQuietly(c);
            return;
        }
        try {
            c.write(ByteBuffer.wrap(new byte[] {AudioSocketFrames.HANGUP, 0, 0}));
        } catch (IOException e) {
            // gone already
        }
        closeQuietly(c);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
