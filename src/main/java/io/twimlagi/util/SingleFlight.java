package io.twimlagi.util;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Runs one job per key at a time; callers asking for the same key meanwhile wait for that job's result (one
 * download, synthesis or encoding shared by concurrent calls).
 *
 * @param <E> the checked exception jobs throw; {@code wrap} turns anything else into one
 */
public final class SingleFlight<E extends Exception> {
    /** A job that produces a value or fails with {@code E}. */
    public interface Job<V, E extends Exception> {
        V run() throws E;
    }

    private final ConcurrentHashMap<String, CompletableFuture<Object>> running = new ConcurrentHashMap<>();
    private final Class<E> errorType;
    private final Function<Throwable, E> wrap;

    public SingleFlight(Class<E> errorType, Function<Throwable, E> wrap) {
        this.errorType = errorType;
        this.wrap = wrap;
    }

    @SuppressWarnings("unchecked")
    public <V> V run(String key, Job<V, E> job) throws E {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) return (V) await(theirs);
        try {
            V value = job.run();
            mine.complete(value);
            return value;
        } catch (Exception e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    private Object await(CompletableFuture<Object> f) throws E {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (errorType.isInstance(cause)) throw errorType.cast(cause);
            if (cause instanceof RuntimeException r) throw r;
            throw wrap.apply(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw wrap.apply(e);
        }
    }
}
