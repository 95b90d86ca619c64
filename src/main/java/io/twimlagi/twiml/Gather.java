package io.twimlagi.twiml;

import java.util.List;
import java.util.Set;

/**
 * {@code <Gather>}.
 *
 * @param action                null = the current document URL (Twilio's default)
 * @param method                default POST
 * @param input                 default {DTMF}
 * @param timeout               seconds, default 5
 * @param timeoutAuto           true when written as {@code timeout="auto"} (accepted; {@code timeout} is then 5)
 * @param finishOnKey           one of {@code 0-9 # *}, default "#"; "" disables
 * @param numDigits             null = unlimited
 * @param speechTimeout         null = same as timeout; otherwise "auto" or a non-negative integer as text
 * @param speechModel           null = Twilio default
 * @param language              default "en-US"
 * @param hints                 null = none
 * @param profanityFilter       default true
 * @param partialResultCallbackMethod default POST
 * @param enhanced              default false
 * @param bargeIn               default true
 * @param maxSpeechTime         null = Twilio default
 * @param debug                 default false
 * @param prompts               only {@link Say}, {@link Play} (without digits) and {@link Pause}
 */
public record Gather(String action, HttpMethod method, Set<Input> input, int timeout, boolean timeoutAuto,
                     String finishOnKey, Integer numDigits, boolean actionOnEmptyResult, String speechTimeout,
                     String speechModel, String language, String hints, boolean profanityFilter,
                     String partialResultCallback, HttpMethod partialResultCallbackMethod, boolean enhanced,
                     boolean bargeIn, Integer maxSpeechTime, boolean debug, List<Verb> prompts, int line)
        implements Verb {
    public enum Input { DTMF, SPEECH }

    public Gather {
        input = Imm.set(input);
        prompts = List.copyOf(prompts);
    }

    @Override public String name() { return "Gather"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitGather(this); }
}
