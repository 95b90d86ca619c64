package io.twimlagi.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The modes of what the server writes under {@code media_dir}: 0640 for files, 0750 for folders. Asterisk reads
 * them as the service's user or through its group; nobody else may (prompts can speak one-time codes). Set
 * explicitly after creating, so neither a lax umask (022 would give 0644) nor a strict one (077 would lock Asterisk
 * out) decides. On a file system without POSIX modes nothing is set.
 */
public final class FileModes {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r-----");
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwxr-x---");

    private FileModes() {
    }

    /** Sets 0640 on a file the server wrote. */
    public static void file(Path file) throws IOException {
        set(file, FILE);
    }

    /** Sets 0750 on a folder the server made. */
    public static void folder(Path dir) throws IOException {
        set(dir, FOLDER);
    }

    private static void set(Path p, Set<PosixFilePermission> mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, mode);
        } catch (UnsupportedOperationException notPosix) {
            // no modes to set on this file system
        }
    }
}
