package io.twimlagi.twiml;

/** {@code <Task priority timeout>json</Task>} inside Enqueue. Absent = null. */
public record Task(String json, Integer priority, Integer timeout, int line) {}
