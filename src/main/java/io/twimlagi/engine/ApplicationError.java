package io.twimlagi.engine;

/**
 * What the caller gets when neither the app nor its fallback produced TwiML: 500 before answer; after answer a
 * short spoken "application error", then hang-up (Twilio's behaviour).
 */
public interface ApplicationError {
    void handle(CallContext ctx);
}
