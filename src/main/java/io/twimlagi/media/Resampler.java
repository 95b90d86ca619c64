package io.twimlagi.media;

import java.util.Arrays;

/**
 * Streaming windowed-sinc resampler to {@link AudioConverter#RATE}: output sample i is the Hann-windowed sinc
 * average of the input around i * ratio. Input no longer needed is dropped and output goes to a {@link Sink} in
 * small blocks, so memory stays constant whatever the length. More than {@link AudioConverter#MAX_SECONDS} of
 * output is an error.
 */
final class Resampler {
    private static final int HALF_TAPS = 16;
    private static final int BLOCK = 4096;

    /** Where 8 kHz samples go as they are produced. */
    interface Sink {
        void write(short[] samples, int n) throws MediaException;
    }

    /** A sink keeping everything in memory: for short audio and tests. */
    static final class Collected implements Sink {
        private short[] all = new short[BLOCK];
        private int n;

        @Override
        public void write(short[] samples, int count) {
            if (n + count > all.length) all = Arrays.copyOf(all, Math.max(all.length * 2, n + count));
            System.arraycopy(samples, 0, all, n, count);
            n += count;
        }

        short[] toArray() {
            return Arrays.copyOf(all, n);
        }
    }

    private final Sink sink;
    private final double ratio;
    private final double cutoff;
    private final double halfWidth;
    private final boolean passThrough;
    private float[] buf = new float[8192];
    private long bufStart;   // absolute index of buf[0]
    private int bufLen;
    private final short[] block = new short[BLOCK];
    private int blockLen;
    private long produced;   // output samples so far
    private long total;      // input samples pushed
    private boolean overflow;

    Resampler(float srcRate, Sink sink) {
        this.sink = sink;
        ratio = srcRate / AudioConverter.RATE;
        passThrough = Math.abs(srcRate - AudioConverter.RATE) < 0.5f;
        cutoff = Math.min(1.0, AudioConverter.RATE / (double) srcRate) * 0.95; // relative to the source Nyquist
        halfWidth = HALF_TAPS / cutoff;
    }

    /** All of {@code in} at once (tests). */
    static short[] resample(float[] in, float srcRate) {
        Collected out = new Collected();
        Resampler rs = new Resampler(srcRate, out);
        try {
            rs.push(in, in.length);
            rs.finish();
        } catch (MediaException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return out.toArray();
    }

    void push(float[] samples, int n) throws MediaException {
        if (overflow) return;
        if (bufLen + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + n));
        }
        System.arraycopy(samples, 0, buf, bufLen, n);
        bufLen += n;
        total += n;
        produce(false);
    }

    /** Writes what is left; the number of samples produced. */
    long finish() throws MediaException {
        produce(true);
        if (overflow) throw AudioConverter.tooLong();
        flush();
        return produced;
    }

    boolean overflowed() {
        return overflow;
    }

    private void produce(boolean end) throws MediaException {
        long outTotal = passThrough ? total : (long) Math.floor(total / ratio);
        while (produced < outTotal && !overflow) {
            if (produced >= (long) AudioConverter.MAX_SECONDS * AudioConverter.RATE) {
                overflow = true;
                break;
            }
            double center = produced * ratio;
            long hi = (long) Math.floor(center + halfWidth);
            if (!passThrough && !end && hi > total - 1) break;
            emit(passThrough ? clamp(at(produced)) : sample(center, hi));
        }
        long keepFrom = passThrough ? produced : (long) Math.ceil(produced * ratio - halfWidth);
        int drop = (int) Math.max(0, Math.min(bufLen, keepFrom - bufStart));
        if (drop > 4096 || (drop > 0 && drop * 2 > bufLen)) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    private float at(long index) {
        return buf[(int) (index - bufStart)];
    }

    private short sample(double center, long hi) {
        long lo = (long) Math.ceil(center - halfWidth);
        double acc = 0;
        double norm = 0;
        for (long j = Math.max(lo, 0); j <= Math.min(hi, total - 1); j++) {
            double x = j - center;
            double w = sinc(x * cutoff) * 0.5 * (1 + Math.cos(Math.PI * x / halfWidth)); // Hann window
            acc += at(j) * w;
            norm += w;
        }
        return clamp(norm == 0 ? 0 : acc / norm);
    }

    private void emit(short s) throws MediaException {
        block[blockLen++] = s;
        produced++;
        if (blockLen == block.length) flush();
    }

    private void flush() throws MediaException {
        if (blockLen > 0) sink.write(block, blockLen);
        blockLen = 0;
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    private static short clamp(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
}
