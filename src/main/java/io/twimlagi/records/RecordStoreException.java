package io.twimlagi.records;

/** The database could not be read or written (disk full, file damaged); the message says which operation. */
public final class RecordStoreException extends RuntimeException {
    public RecordStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
