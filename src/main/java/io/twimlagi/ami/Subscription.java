package io.twimlagi.ami;

/** A listener registration; {@link #close} removes it (idempotent; a no-op once it has fired). */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
