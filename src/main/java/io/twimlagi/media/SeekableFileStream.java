package io.twimlagi.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read through a small buffer, whose {@link #reset} goes back to the mark however far was read since: the
 * javax.sound readers try the formats one after another and each resets to where it started, which a
 * BufferedInputStream allows only within its buffer. Memory is the buffer, whatever the file's size.
 */
final class SeekableFileStream extends InputStream {
    private final FileChannel file;
    private final ByteBuffer buf = ByteBuffer.allocate(65536);
    private long bufStart;   // the file position of buf[0]
    private long mark;

    SeekableFileStream(Path path) throws IOException {
        file = FileChannel.open(path, StandardOpenOption.READ);
        buf.limit(0);
    }

    private long position() {
        return bufStart + buf.position();
    }

    private boolean fill() throws IOException {
        if (buf.hasRemaining()) return true;
        bufStart += buf.limit();
        buf.clear();
        int n;
        do {
            n = file.read(buf, bufStart);
        } while (n == 0);
        buf.flip();
        return n > 0;
    }

    private void seek(long pos) {
        if (pos >= bufStart && pos <= bufStart + buf.limit()) {
            buf.position((int) (pos - bufStart));
        } else {
            bufStart = pos;
            buf.clear().limit(0);
        }
    }

    @Override
    public int read() throws IOException {
        return fill() ? buf.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, buf.remaining());
        buf.get(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) return 0;
        long from = position();
        long to = Math.min(file.size(), from + n);
        if (to <= from) return 0;
        seek(to);
        return to - from;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, file.size() - position()));
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
        mark = position();
    }

    @Override
    public synchronized void reset() {
        seek(mark);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
