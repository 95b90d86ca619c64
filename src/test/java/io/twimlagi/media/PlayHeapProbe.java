package io.twimlagi.media;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run by {@link PlayHeapTest} in a child JVM with a small heap: plays the given URLs all at once through one
 * AudioLibrary and prints one line per URL ({@code ok <i> <name>} or {@code error <i> <code> <message>}), then
 * {@code peak-heap <bytes>}.
 */
public final class PlayHeapProbe {
    private PlayHeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path mediaDir = Path.of(args[0]);
        List<String> urls = List.of(args).subList(1, args.length);
        MediaStore store = new MediaStore(mediaDir, "/ast");
        AudioLibrary lib = new AudioLibrary(store, new MediaCache(store, 4L << 30));
        CyclicBarrier go = new CyclicBarrier(urls.size());
        ExecutorService pool = Executors.newFixedThreadPool(urls.size());
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            int n = i;
            results.add(pool.submit(() -> {
                go.await();
                try {
                    return "ok " + n + " " + lib.audio(urls.get(n));
                } catch (MediaException e) {
                    return "error " + n + " " + e.code() + " " + e.getMessage();
                }
            }));
        }
        for (Future<String> f : results) System.out.println(f.get());
        pool.shutdown();
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        System.out.println("peak-heap " + peak);
        System.exit(0);
    }
}
