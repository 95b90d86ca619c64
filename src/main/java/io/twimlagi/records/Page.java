package io.twimlagi.records;

import java.util.List;

/**
 * One page of a list, newest first: {@code page} counts from 0, {@code pageSize} is what was asked for (1 to
 * {@value #MAX_SIZE}; Twilio's default {@value #DEFAULT_SIZE}), {@code hasNext} says whether a later page has
 * items. {@code items} is immutable.
 */
public record Page<T>(List<T> items, int page, int pageSize, boolean hasNext) {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;

    public Page {
        items = List.copyOf(items);
        check(page, pageSize);
    }

    /** @throws IllegalArgumentException when {@code page < 0} or {@code pageSize} is not 1..{@value #MAX_SIZE} */
    public static void check(int page, int pageSize) {
        if (page < 0) throw new IllegalArgumentException("page < 0: " + page);
        if (pageSize < 1 || pageSize > MAX_SIZE) {
            throw new IllegalArgumentException("pageSize not 1.." + MAX_SIZE + ": " + pageSize);
        }
    }
}
