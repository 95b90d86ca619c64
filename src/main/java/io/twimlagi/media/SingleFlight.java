package io.twimlagi.media;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/** Runs one job per key at a time; callers asking for the same key meanwhile wait for that job's result. */
final class SingleFlight {
    interface Job {
        void run() throws MediaException;
    }

    private final ConcurrentHashMap<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    void run(String key, Job job) throws MediaException {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) {
            await(theirs);
            return;
        }
        try {
            job.run();
            mine.complete(null);
        } catch (MediaException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    private static void await(CompletableFuture<Void> f) throws MediaException {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MediaException m) throw m;
            throw new MediaException(12400, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException(12400, "interrupted");
        }
    }
}
