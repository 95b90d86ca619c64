package io.twimlagi.call;

/** What Asterisk reports after a blind transfer: the status and, for a failure, the SIP code (0 when none). */
public record TransferResult(TransferStatus status, int protocolCode) {
}
