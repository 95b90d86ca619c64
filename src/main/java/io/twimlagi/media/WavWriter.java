package io.twimlagi.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes 8 kHz 16-bit mono PCM WAV as samples arrive, in constant memory: into a temporary file beside the target
 * (mode 0640), whose header sizes are filled in by {@link #commit}, which then moves it into place atomically. A
 * writer closed without a commit deletes its temporary file.
 */
final class WavWriter implements Resampler.Sink, AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final FileChannel out;
    private final ByteBuffer buf = ByteBuffer.allocate(32768).order(ByteOrder.LITTLE_ENDIAN);
    private long samples;
    private boolean committed;

    WavWriter(Path target) throws MediaException {
        this.target = target;
        // one writer per thread and target at a time; MediaCache deletes stale ones after a crash
        this.tmp = target.resolveSibling(target.getFileName() + ".tmp" + Thread.currentThread().getId());
        try {
            out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw failed(e);
        }
        try {
            FileModes.file(tmp);
            write(header(0));
        } catch (IOException e) {
            close();
            throw failed(e);
        }
    }

    @Override
    public void write(short[] pcm, int n) throws MediaException {
        try {
            for (int i = 0; i < n; i++) {
                if (!buf.hasRemaining()) drain();
                buf.putShort(pcm[i]);
            }
        } catch (IOException e) {
            throw failed(e);
        }
        samples += n;
    }

    /** Completes the header and moves the file into place. */
    void commit() throws MediaException {
        try {
            drain();
            ByteBuffer h = header(samples);
            while (h.hasRemaining()) out.write(h, h.position());
            out.close();
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() {
        if (committed) return;
        try {
            out.close();
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // best effort: MediaCache deletes stale temporary files at start
        }
    }

    private void drain() throws IOException {
        buf.flip();
        write(buf);
        buf.clear();
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) out.write(b);
    }

    private static ByteBuffer header(long samples) {
        int data = (int) (samples * 2);
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(AudioConverter.RATE).putInt(AudioConverter.RATE * 2).putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        return h.flip();
    }

    private MediaException failed(IOException e) {
        return new MediaException(12400, "cannot write " + target + ": " + e.getMessage(), e);
    }
}
