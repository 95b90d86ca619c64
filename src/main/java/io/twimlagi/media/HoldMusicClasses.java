package io.twimlagi.media;

import io.twimlagi.util.RealtimeForm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Music-on-hold classes made at run time for conference {@code waitUrl}s: Asterisk asks for an unknown class
 * through its realtime configuration (res_config_curl: {@code musiconhold => curl,http://<our http>/realtime/
 * musiconhold}, see asterisk-conf/extconfig-twiml.conf) and we answer with a files-mode class over a folder of the
 * wait audio. At most {@link #MAX} classes are remembered (least recently used forgotten).
 */
public final class HoldMusicClasses {
    static final int MAX = 1000;

    /**
     * A class: its name, the folder as Asterisk sees it, whether the last file loops (Play loop="0"), and the
     * folder on this host (deleted when the class is forgotten; null = keep).
     */
    public record HoldClass(String name, String asteriskDirectory, boolean loopLast, java.nio.file.Path hostDirectory) {
    }

    private final Map<String, HoldClass> classes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HoldClass> eldest) {
            if (size() <= MAX) return false;
            if (eldest.getValue().hostDirectory() != null) deleteTree(eldest.getValue().hostDirectory());
            return true;
        }
    };

    /** Deletes a folder of links (best effort: a file Asterisk still reads is gone from the folder only). */
    public static void deleteTree(java.nio.file.Path dir) {
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) return;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) java.nio.file.Files.deleteIfExists(f);
            java.nio.file.Files.deleteIfExists(dir);
        } catch (java.io.IOException ignored) {
            // a later run finds it again
        }
    }

    public synchronized void register(HoldClass c) {
        classes.put(c.name(), c);
    }

    public synchronized Optional<HoldClass> find(String name) {
        return Optional.ofNullable(classes.get(name));
    }

    /**
     * The reply to res_config_curl's {@code /single} request (form body {@code name=<class>}): one line of
     * URL-encoded {@code key=value} pairs, or an empty body for a class we do not know.
     */
    public String realtimeReply(String requestForm) {
        String name = RealtimeForm.value(requestForm, "name");
        if (name == null) return "";
        Optional<HoldClass> c = find(name);
        if (c.isEmpty()) return "";
        return "name=" + RealtimeForm.encode(c.get().name()) + "&mode=files&directory=" + RealtimeForm.encode(c.get().asteriskDirectory())
                + "&sort=alpha" + (c.get().loopLast() ? "&loop_last=yes" : "") + "\n";
    }
}
