package io.twimlagi.call;

/** How a blind transfer (SIP REFER) ended, as the AGI edge reads Asterisk's TRANSFERSTATUS. */
public enum TransferStatus {
    /** The transfer went through. */
    SUCCEEDED,
    /** It failed; {@link TransferResult#protocolCode()} may carry the SIP code. */
    FAILED,
    /** The channel cannot transfer. */
    UNSUPPORTED,
    /** No final outcome within the bound: our leg was ended. */
    TIMED_OUT
}
