package io.twimlagi.recording;

import io.twimlagi.util.SingleFlight;

import io.twimlagi.twilio.Sids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Recordings made by {@code <Record>}: where Asterisk writes them, how they are finished (silence trimmed, header
 * repaired, duration measured) and the files the HTTP server serves.
 *
 * <p>Layout under {@code media_dir}: Asterisk records into {@code recordings/<sid>.wav}; {@link #finish} rewrites
 * it in place (temporary file + atomic rename) when it trims it or repairs its header. A recording is served only
 * once finished: SIDs between {@link #create()} and {@link #finish} are not served. A file that is not a WAV is
 * renamed {@code <sid>.invalid} and never served. MP3 copies are made on demand with {@code lame} and cached as
 * {@code recordings/<sid>.mp3}.
 *
 * <p>Every SID coming from outside is checked ({@code RE} + 32 hex) before it becomes part of a path.
 */
public final class RecordingStore {
    private static final Logger log = LoggerFactory.getLogger(RecordingStore.class);

    /** Silence threshold: a 20 ms frame whose RMS is below -50 dBFS is silent. */
    static final double SILENCE_DBFS = -50.0;
    static final int FRAME_MS = 20;
    /** Silence kept before the first and after the last non-silent frame. */
    static final int MARGIN_MS = 100;
    /** Without trimming, a recording shorter than this is empty. */
    static final int MIN_UNTRIMMED_MS = 200;
    private static final long LAME_TIMEOUT_SECONDS = 600;

    /** What {@link #create()} returns: the SID, the host path Asterisk writes to, and the same as Asterisk names it. */
    public record Recording(String sid, Path wavFile, String asteriskName) {
        public Recording {
            Objects.requireNonNull(sid, "sid");
            Objects.requireNonNull(wavFile, "wavFile");
            Objects.requireNonNull(asteriskName, "asteriskName");
        }
    }

    /**
     * What {@link #finish} returns. {@code durationSeconds} is whole seconds, rounded, at least 1 when not empty,
     * 0 when empty. When empty, the executor skips {@code action} (Twilio does the same).
     */
    public record Result(Recording recording, int durationSeconds, boolean empty) {
    }

    private final Path dir;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final String asteriskDir;
    private final String lameCommand;
    /** Concurrent requests for one MP3 share one encode. */
    private final SingleFlight<IOException> encoding = new SingleFlight<>(IOException.class,
            e -> new IOException("MP3 encoding failed: " + e, e));

    /** A store using {@code lame} from PATH for MP3. */
    public RecordingStore(Path mediaDir, String asteriskMediaDir) throws IOException {
        this(mediaDir, asteriskMediaDir, "lame");
    }

    /**
     * @param lameCommand the MP3 encoder: a name looked up on PATH or an absolute path. When it cannot be found,
     *                    {@link #mp3} returns empty.
     */
    public RecordingStore(Path mediaDir, String asteriskMediaDir, String lameCommand) throws IOException {
        Objects.requireNonNull(mediaDir, "mediaDir");
        Objects.requireNonNull(asteriskMediaDir, "asteriskMediaDir");
        this.dir = mediaDir.toAbsolutePath().normalize().resolve("recordings");
        String a = asteriskMediaDir;
        while (a.length() > 1 && a.endsWith("/")) a = a.substring(0, a.length() - 1);
        this.asteriskDir = a + "/recordings";
        this.lameCommand = Objects.requireNonNull(lameCommand, "lameCommand");
        Files.createDirectories(dir);
    }

    /** True when {@code sid} is a well-formed recording SID ({@code RE} + 32 hex digits). */
    public static boolean isValidSid(String sid) {
        return Sids.isValid("RE", sid);
    }

    /** {@code {publicUrl}/Recordings/{sid}}, Twilio's form: no extension (WAV), {@code .mp3} for MP3. */
    public static String url(String publicUrl, String sid) {
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        return base + "/Recordings/" + sid;
    }

    /** A new recording: a fresh SID and where Asterisk should write it ({@code RECORD FILE <asteriskName> wav}). */
    public Recording create() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        String sid = Sids.newRecordingSid();
        inProgress.add(sid);
        return new Recording(sid, dir.resolve(sid + ".wav"), asteriskDir + "/" + sid);
    }

    /**
     * Finishes a recording after Asterisk closed it: repairs the header, trims leading and trailing silence when
     * asked, and moves it to where it is served. Safe to call again on a finished recording (it is only measured).
     * Call it whatever ended the recording (key, timeout, hang-up): until then the file is not served.
     *
     * @throws UncheckedIOException when the file cannot be read or rewritten
     */
    public Result finish(Recording r, boolean trimSilence) {
        if (!isValidSid(r.sid())) throw new IllegalArgumentException("not a recording SID: " + r.sid());
        try {
            return doFinish(r, trimSilence);
        } catch (IOException e) {
            throw new UncheckedIOException(r.sid() + ": cannot finish the recording " + r.wavFile(), e);
        } finally {
            inProgress.remove(r.sid());
        }
    }

    private Result doFinish(Recording r, boolean trimSilence) throws IOException {
        Path target = dir.resolve(r.sid() + ".wav");
        Path source = r.wavFile().toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            log.info("{} recording: no file at {}", r.sid(), source);
            return new Result(r, 0, true);
        }
        Wav wav = Wav.read(source);
        if (wav == null) {
            Path invalid = dir.resolve(r.sid() + ".invalid");
            moveAtomically(source, invalid);
            log.warn("{} recording: not a WAV file Asterisk could have written; kept as {}, not served", r.sid(),
                    invalid);
            return new Result(r, 0, true);
        }
        long from = 0;
        long to = wav.dataLength;
        boolean silent = false;
        if (trimSilence) {
            long[] loud = wav.loudRange();
            if (loud == null) {
                silent = true;
            } else if (loud != Wav.UNSUPPORTED) {
                long margin = wav.frameBytes() * (MARGIN_MS / FRAME_MS);
                from = Math.max(0, loud[0] - margin);
                to = Math.min(wav.dataLength, loud[1] + margin);
            }
        }
        if (from == 0 && to == wav.dataLength && wav.headerIsCanonical()) {
            if (!source.equals(target)) moveAtomically(source, target);
        } else {
            wav.writeRange(from, to, target);
            if (!source.equals(target)) Files.delete(source);
        }
        if (silent) {
            log.info("{} recording: only silence ({} bytes of audio)", r.sid(), wav.dataLength);
            return new Result(r, 0, true);
        }
        return result(r, wav, to - from, !trimSilence);
    }

    private static Result result(Recording r, Wav wav, long bytes, boolean minimumLength) {
        long samples = bytes / wav.blockAlign;
        if (samples == 0 || (minimumLength && samples * 1000 < (long) MIN_UNTRIMMED_MS * wav.sampleRate)) {
            return new Result(r, 0, true);
        }
        long seconds = Math.round((double) samples / wav.sampleRate);
        return new Result(r, (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds)), false);
    }

    /** True when the finished WAV of {@code sid} exists (false for malformed SIDs). */
    public boolean exists(String sid) {
        return wav(sid).isPresent();
    }

    /** The finished WAV of {@code sid}; empty for malformed or unknown SIDs and for recordings not finished yet. */
    public Optional<Path> wav(String sid) {
        if (!isValidSid(sid) || inProgress.contains(sid)) return Optional.empty();
        Path p = dir.resolve(sid + ".wav");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Deletes the finished recording's files (WAV, MP3); true when there was one. Malformed SIDs touch nothing. */
    public boolean delete(String sid) throws IOException {
        if (!isValidSid(sid) || inProgress.contains(sid)) return false;
        boolean wav = Files.deleteIfExists(dir.resolve(sid + ".wav"));
        boolean mp3 = Files.deleteIfExists(dir.resolve(sid + ".mp3"));
        return wav || mp3;
    }

    /** True when the MP3 encoder can be found (on PATH, or at the absolute path given). */
    public boolean mp3Available() {
        return findExecutable(lameCommand).isPresent();
    }

    /**
     * The MP3 of {@code sid}, encoded with lame on first request and cached next to the WAV; requests arriving
     * while it is being encoded wait for that one encode. Empty when the SID is unknown or lame is unavailable
     * ({@link #mp3Available()} tells which).
     *
     * @throws IOException when lame fails or times out
     */
    public Optional<Path> mp3(String sid) throws IOException {
        Optional<Path> wav = wav(sid);
        if (wav.isEmpty()) return Optional.empty();
        Path mp3 = dir.resolve(sid + ".mp3");
        if (Files.isRegularFile(mp3)) return Optional.of(mp3);
        Optional<Path> lame = findExecutable(lameCommand);
        if (lame.isEmpty()) return Optional.empty();
        return Optional.of(encoding.run(sid, () -> {
            if (!Files.isRegularFile(mp3)) encode(lame.get(), wav.get(), mp3);
            return mp3;
        }));
    }

    private void encode(Path lame, Path wav, Path mp3) throws IOException {
        Path tmp = Files.createTempFile(dir, mp3.getFileName().toString(), ".tmp");
        try {
            ProcessBuilder pb = new ProcessBuilder(lame.toString(), "--quiet", "-m", "m", "-b", "32",
                    wav.toString(), tmp.toString());
            pb.redirectErrorStream(true);
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            long start = System.nanoTime();
            Process p = pb.start();
            byte[] output;
            try (InputStream out = p.getInputStream()) {
                output = out.readNBytes(4096);
                out.transferTo(OutputStream.nullOutputStream());
            }
            boolean done;
            try {
                done = p.waitFor(LAME_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while encoding MP3");
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("lame did not finish within " + LAME_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || Files.size(tmp) == 0) {
                throw new IOException("lame exited with " + p.exitValue() + ": "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
            moveAtomically(tmp, mp3);
            log.info("recording {} encoded to MP3 in {} ms", wav.getFileName(),
                    (System.nanoTime() - start) / 1_000_000);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Optional<Path> findExecutable(String command) {
        if (command.isEmpty()) return Optional.empty();
        if (command.indexOf('/') >= 0) {
            Path p = Path.of(command);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The parts of a RIFF/WAVE file this class needs. */
    static final class Wav {
        static final long[] UNSUPPORTED = new long[0];

        final Path file;
        final int format;
        final int channels;
        final int sampleRate;
        final int blockAlign;
        final int bitsPerSample;
        final byte[] fmtChunk;
        final long dataOffset;
        final long dataLength;
        final boolean canonical;

        private Wav(Path file, byte[] fmtChunk, long dataOffset, long dataLength, boolean canonical) {
            this.file = file;
            ByteBuffer b = ByteBuffer.wrap(fmtChunk).order(ByteOrder.LITTLE_ENDIAN);
            int fmt = b.getShort(0) & 0xFFFF;
            if (fmt == 0xFFFE && fmtChunk.length >= 26) fmt = b.getShort(24) & 0xFFFF;
            this.format = fmt;
            this.channels = b.getShort(2) & 0xFFFF;
            this.sampleRate = b.getInt(4);
            this.blockAlign = b.getShort(12) & 0xFFFF;
            this.bitsPerSample = b.getShort(14) & 0xFFFF;
            this.fmtChunk = fmtChunk;
            this.dataOffset = dataOffset;
            this.dataLength = dataLength;
            this.canonical = canonical;
        }

        /**
         * Reads the header of {@code file}. Sizes Asterisk did not update (0, 0xFFFFFFFF, or beyond the end of
         * the file) are replaced by what the file holds. Null when the file is not a usable WAV.
         */
        static Wav read(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < 12) return null;
                ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, head, 0);
                if (!tag(head, 0).equals("RIFF") || !tag(head, 8).equals("WAVE")) return null;
                long riffSize = head.getInt(4) & 0xFFFFFFFFL;
                boolean canonical = riffSize == size - 8;
                byte[] fmt = null;
                long pos = 12;
                ByteBuffer chunk = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                while (pos + 8 <= size) {
                    chunk.clear();
                    readFully(ch, chunk, pos);
                    String id = tag(chunk, 0);
                    long len = chunk.getInt(4) & 0xFFFFFFFFL;
                    long body = pos + 8;
                    if (id.equals("data")) {
                        if (fmt == null) return null;
                        long available = size - body;
                        if (len == 0 || len == 0xFFFFFFFFL || len > available) {
                            len = available;
                            canonical = false;
                        }
                        Wav w = new Wav(file, fmt, body, 0, false);
                        if (w.blockAlign == 0 || w.sampleRate <= 0 || w.channels == 0) return null;
                        long whole = len - len % w.blockAlign;
                        if (whole != len || body + len + (len & 1) != size) canonical = false;
                        return new Wav(file, fmt, body, whole, canonical);
                    }
                    if (id.equals("fmt ")) {
                        if (len < 16 || len > 1024 || body + len > size) return null;
                        ByteBuffer f = ByteBuffer.allocate((int) len);
                        readFully(ch, f, body);
                        fmt = f.array();
                    } else {
                        canonical = false; // LIST, fact, ... are dropped when the file is rewritten
                    }
                    pos = body + len + (len & 1);
                }
                return null;
            }
        }

        boolean headerIsCanonical() {
            return canonical;
        }

        long frameBytes() {
            return Math.max(1L, (long) sampleRate * FRAME_MS / 1000) * blockAlign;
        }

        /**
         * The byte range {@code [first, end)} of the data from the first to the end of the last non-silent 20 ms
         * frame; null when every frame is silent; {@link #UNSUPPORTED} for encodings this class does not decode
         * (anything but 8- and 16-bit PCM), which are then left untrimmed.
         */
        long[] loudRange() throws IOException {
            if (format != 1 || (bitsPerSample != 16 && bitsPerSample != 8)
                    || blockAlign != channels * bitsPerSample / 8) {
                return UNSUPPORTED;
            }
            int frameBytes = (int) frameBytes();
            double threshold = 32768.0 * Math.pow(10, SILENCE_DBFS / 20);
            double thresholdSq = threshold * threshold;
            long first = -1;
            long lastEnd = -1;
            byte[] frame = new byte[frameBytes];
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                in.skipNBytes(dataOffset);
                long pos = 0;
                while (pos < dataLength) {
                    int want = (int) Math.min(frameBytes, dataLength - pos);
                    int n = in.readNBytes(frame, 0, want);
                    if (n <= 0) break;
                    if (meanSquare(frame, n) >= thresholdSq) {
                        if (first < 0) first = pos;
                        lastEnd = pos + n;
                    }
                    pos += n;
                    if (n < want) break;
                }
            }
            return first < 0 ? null : new long[] {first, lastEnd};
        }

        private double meanSquare(byte[] b, int n) {
            double sum = 0;
            int count = 0;
            if (bitsPerSample == 16) {
                for (int i = 0; i + 1 < n; i += 2) {
                    int s = (short) ((b[i] & 0xFF) | (b[i + 1] << 8));
                    sum += (double) s * s;
                    count++;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int s = ((b[i] & 0xFF) - 128) << 8;
                    sum += (double) s * s;
                    count++;
                }
            }
            return count == 0 ? 0 : sum / count;
        }

        /** Writes a canonical WAV holding data bytes {@code [from, to)} of {@code source} to {@code target}. */
        void writeRange(long from, long to, Path target) throws IOException {
            Path source = file;
            long len = to - from;
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                     FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE,
                             StandardOpenOption.TRUNCATE_EXISTING)) {
                    int fmtLen = fmtChunk.length;
                    long riff = 4 + (8 + fmtLen + (fmtLen & 1)) + 8 + len + (len & 1);
                    ByteBuffer h = ByteBuffer.allocate(12 + 8 + fmtLen + (fmtLen & 1) + 8)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) riff)
                            .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                            .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(fmtLen).put(fmtChunk);
                    if ((fmtLen & 1) != 0) h.put((byte) 0);
                    h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) len);
                    h.flip();
                    while (h.hasRemaining()) out.write(h);
                    long done = 0;
                    while (done < len) {
                        long n = in.transferTo(dataOffset + from + done, len - done, out);
                        if (n <= 0) throw new IOException("short read from " + source);
                        done += n;
                    }
                    if ((len & 1) != 0) out.write(ByteBuffer.wrap(new byte[1]));
                    out.force(true);
                }
                moveAtomically(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        private static String tag(ByteBuffer b, int at) {
            byte[] t = new byte[4];
            for (int i = 0; i < 4; i++) t[i] = b.get(at + i);
            return new String(t, StandardCharsets.US_ASCII);
        }

        private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
            long p = pos;
            while (b.hasRemaining()) {
                int n = ch.read(b, p);
                if (n < 0) throw new EOFException("unexpected end of file");
                p += n;
            }
        }

        @Override
        public String toString() {
            return "Wav[format=" + format + ", channels=" + channels + ", rate=" + sampleRate + ", bits="
                    + bitsPerSample + ", data=" + dataLength + "@" + dataOffset + ", fmt="
                    + Arrays.toString(fmtChunk) + ", file=" + file + "]";
        }
    }
}
