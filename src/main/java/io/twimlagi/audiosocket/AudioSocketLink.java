package io.twimlagi.audiosocket;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final AtomicBoolean closed = new AtomicBoolean();
    private SocketChannel channel;
    private boolean ended;
    /** The rest of a frame the socket took only part of: sent before anything else. */
    private ByteBuffer unsent;
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
        ByteBuffer frame = ByteBuffer.allocate(3 + pcm.length);
        frame.put(AudioSocketFrames.AUDIO).putShort((short) pcm.length).put(pcm).flip();
        synchronized (this) {
            if (channel == null || ended) return;
            try {
                if (unsent != null) {
                    channel.write(unsent);
                    if (unsent.hasRemaining()) {
                        dropped++;
                        return;
                    }
                    unsent = null;
                }
                channel.write(frame);
                if (frame.hasRemaining()) unsent = frame;
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
        synchronized (this) {
            if (ended) return;
            ended = true;
            c = channel;
        }
        if (c != null) writeHangupAndClose(c);
        else hungUpUnconnected = System.nanoTime();
        ended();
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
    private static void writeHangupAndClose(SocketChannel c) {
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
