package io.twimlagi.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The folder the server writes audio into ({@code media_dir}) and the same folder as Asterisk sees it
 * ({@code asterisk_media_dir}, different under a chroot or container). File names are hashes, so no text from a
 * TwiML document ever becomes part of a path or an AGI argument.
 */
public final class MediaStore {
    private final Path hostDir;
    private final String asteriskDir;

    public MediaStore(Path hostDir, String asteriskDir) throws IOException {
        this.hostDir = hostDir.toAbsolutePath().normalize();
        this.asteriskDir = asteriskDir.endsWith("/") ? asteriskDir.substring(0, asteriskDir.length() - 1)
                : asteriskDir;
        Files.createDirectories(this.hostDir);
    }

    /** The host path of {@code <kind>/<key>.wav}; the folder is created. */
    public Path wavFile(String kind, String key) throws IOException {
        Path dir = hostDir.resolve(kind);
        Files.createDirectories(dir);
        return dir.resolve(key + ".wav");
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
