package io.twimlagi.media;

import io.twimlagi.util.RealtimeForm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Music-on-hold classes made at run time for conference {@code waitUrl}s: Asterisk asks for an unknown class
 * through its realtime configuration (res_config_curl: {@code musiconhold => curl,http://<our http>/realtime/
 * musiconhold}, see asterisk-conf/extconfig-twiml.conf) and we answer with a files-mode class over a folder of the
 * wait audio. A class's folder counts against the {@link MediaCache} budget, used when the class is registered
 * or looked up; when the budget evicts the folder the class is forgotten (a later participant writes it again).
 * At most {@link #MAX} classes are remembered: the least recently used one is forgotten and its folder deleted.
 */
public final class HoldMusicClasses {
    static final int MAX = 1000;

    /**
     * A class: its name, the folder as Asterisk sees it, whether the last file loops (Play loop="0"), and the
     * folder on this host (accounted in the cache, deleted when the class is forgotten; null = neither).
     */
    public record HoldClass(String name, String asteriskDirectory, boolean loopLast, Path hostDirectory) {
    }

    private final MediaCache cache;
    /** Least recently used first. */
    private final Map<String, HoldClass> classes = new LinkedHashMap<>(16, 0.75f, true);

    /** Without a disk budget (tests). */
    public HoldMusicClasses() {
        this(MediaCache.unbounded());
    }

    public HoldMusicClasses(MediaCache cache) {
        this.cache = cache;
        cache.onEvicted(this::evicted);
    }

    /** Deletes a folder of links (best effort: a file Asterisk still reads is gone from the folder only). */
    public static void deleteTree(Path dir) {
        MediaStore.deleteFolder(dir);
    }

    public void register(HoldClass c) {
        List<HoldClass> forgotten = new ArrayList<>();
        synchronized (this) {
            classes.put(c.name(), c);
            Iterator<HoldClass> eldest = classes.values().iterator();
            while (classes.size() > MAX && eldest.hasNext()) {
                forgotten.add(eldest.next());
                eldest.remove();
            }
        }
        // the cache is called outside our lock: its eviction calls back into evicted()
        for (HoldClass f : forgotten) {
            if (f.hostDirectory() != null && !f.hostDirectory().equals(c.hostDirectory())) cache.removed(f.hostDirectory());
        }
        if (c.hostDirectory() != null) cache.used(c.hostDirectory());
    }

    public Optional<HoldClass> find(String name) {
        HoldClass c;
        synchronized (this) {
            c = classes.get(name);
        }
        if (c != null && c.hostDirectory() != null) cache.used(c.hostDirectory()); // Asterisk is about to play it
        return Optional.ofNullable(c);
    }

    /** The budget deleted {@code dir}: the classes over it are forgotten. */
    private synchronized void evicted(Path dir) {
        classes.values().removeIf(c -> c.hostDirectory() != null
                && c.hostDirectory().toAbsolutePath().normalize().equals(dir));
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
