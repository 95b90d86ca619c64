package io.twimlagi.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The folder the server writes audio into ({@code media_dir}) and the same folder as Asterisk sees it
 * ({@code asterisk_media_dir}, different under a chroot or container). File names are hashes, so no text from a
 * TwiML document ever becomes part of a path or an AGI argument. The folder and the ones the server makes in it
 * are mode 0750, the files it writes 0640 ({@link FileModes}): Asterisk reads them as the service's user or group.
 */
public final class MediaStore {
    private static final Logger log = LoggerFactory.getLogger(MediaStore.class);
    private final Path hostDir;
    private final String asteriskDir;
    /** Kinds whose folder had its mode checked by this process. */
    private final Set<String> prepared = ConcurrentHashMap.newKeySet();

    public MediaStore(Path hostDir, String asteriskDir) throws IOException {
        this.hostDir = hostDir.toAbsolutePath().normalize();
        this.asteriskDir = asteriskDir.endsWith("/") ? asteriskDir.substring(0, asteriskDir.length() - 1)
                : asteriskDir;
        Files.createDirectories(this.hostDir);
        tighten(this.hostDir);
    }

    /** 0750 on a folder that may predate us (or belong to someone else: then a warning, not a failure). */
    private static void tighten(Path dir) {
        try {
            FileModes.folder(dir);
        } catch (IOException e) {
            log.warn("media folder {}: cannot set mode 0750 ({}); make it readable by Asterisk's group only", dir,
                    e.toString());
        }
    }

    /** The host path of {@code <kind>/<key>.wav}; the folder is created. */
    public Path wavFile(String kind, String key) throws IOException {
        return folder(kind).resolve(key + ".wav");
    }

    /** {@code <kind>/}, created (mode 0750) when missing. */
    Path folder(String kind) throws IOException {
        Path dir = hostDir.resolve(kind);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            FileModes.folder(dir);
            prepared.add(kind);
        } else if (prepared.add(kind)) {
            tighten(dir);
        }
        return dir;
    }

    /**
     * {@code <kind>/<name>/}, a folder holding {@code files} as {@code 00000.wav, 00001.wav...} (hard links, or
     * copies where a link fails), for Asterisk to play in name order. Written once under a temporary name and
     * renamed, so Asterisk never sees it partial; when it exists already it is returned as it is. Account it in
     * the {@link MediaCache} (a {@link HoldMusicClasses} does) so that it counts against the disk budget.
     */
    public Path linkFolder(String kind, String name, List<Path> files) throws IOException {
        if (!name.matches("[0-9A-Za-z_]+")) throw new IllegalArgumentException("not a folder name: " + name);
        Path dir = hostDir.resolve(kind).resolve(name);
        if (Files.isDirectory(dir)) return dir;
        Path tmp = Files.createTempDirectory(folder(kind), MediaCache.NEW_FOLDER);
        try {
            for (int i = 0; i < files.size(); i++) {
                Path src = files.get(i);
                String file = src.getFileName().toString();
                Path target = tmp.resolve(String.format("%05d%s", i, file.substring(Math.max(0, file.lastIndexOf('.')))));
                try {
                    Files.createLink(target, src);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(src, target);
                }
                FileModes.file(target); // a copy's mode is the umask's; a link's is its file's, maybe older than 0640
            }
            FileModes.folder(tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(dir)) throw raced;
                // another call wrote the same folder first
            }
        } finally {
            deleteFolder(tmp); // left only when the move did not happen
        }
        return dir;
    }

    /** Deletes a folder of files (best effort: a file Asterisk still reads is gone from the folder only). */
    public static void deleteFolder(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            log.debug("media folder: cannot delete {}: {}", dir, e.toString()); // the next start finds it again
        }
    }

    /** The name Asterisk's STREAM FILE wants for a file under the store: its own path, without extension. */
    public String asteriskName(Path hostFile) {
        Path rel = hostDir.relativize(hostFile.toAbsolutePath().normalize());
        String name = rel.toString().replace('\\', '/');
        int dot = name.lastIndexOf('.');
        if (dot > name.lastIndexOf('/')) name = name.substring(0, dot);
        return asteriskDir + "/" + name;
    }

    /**
     * The host path (without extension) behind an Asterisk name of this store; an Asterisk name outside the store
     * maps to a path that does not exist.
     */
    public Path hostFile(String asteriskName) {
        String prefix = asteriskDir + "/";
        if (!asteriskName.startsWith(prefix)) return hostDir.resolve(".not-in-store");
        Path p = hostDir.resolve(asteriskName.substring(prefix.length())).normalize();
        return p.startsWith(hostDir) ? p : hostDir.resolve(".not-in-store");
    }

    public Path hostDir() {
        return hostDir;
    }

    public static String sha256(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
