package io.twimlagi.verbs;

import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Gather;
import io.twimlagi.twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <Gather input="dtmf">}: nested Say/Play/Pause play in order until the first key (barge-in; the key
 * counts), then {@code timeout} seconds are allowed for each further key. It ends on {@code finishOnKey} (not
 * part of Digits), on {@code numDigits}, or on a timeout. Keys are read one at a time with WAIT FOR DIGIT, not
 * GET DATA, whose terminator is hard-coded to '#'. DTMF arrives the same way as RFC 4733 events or SIP INFO.
 */
public final class GatherExecutor implements VerbExecutor<Gather> {
    private static final Logger log = LoggerFactory.getLogger(GatherExecutor.class);
    static final String ALL_KEYS = "0123456789*#ABCD";

    private final Prompts prompts;

    GatherExecutor(Prompts prompts) {
        this.prompts = prompts;
    }

    @Override
    public Outcome execute(Gather gather, CallContext ctx) {
        if (gather.input().contains(Gather.Input.SPEECH)) {
            log.error("{} error 13335: Gather input=\"speech\" is not supported yet; gathering DTMF only",
                    ctx.callSid());
        }
        Call call = ctx.call();
        Keys keys = new Keys(gather.finishOnKey(), gather.numDigits());
        for (Verb prompt : gather.prompts()) {
            char key = Prompts.play(prompts.of(prompt, ctx), call, ALL_KEYS);
            if (key != 0) {
                keys.press(key);
                break;
            }
        }
        Duration timeout = Duration.ofSeconds(gather.timeout());
        while (!keys.done()) {
            char key = call.waitForDigit(timeout);
            if (key == 0) break; // timeout
            keys.press(key);
        }
        String digits = keys.digits.toString();
        log.info("{} Gather got '{}'{}", ctx.callSid(), digits,
                keys.finishedOn == 0 ? "" : " finished on '" + keys.finishedOn + "'");
        if (digits.isEmpty() && !gather.actionOnEmptyResult()) return Outcome.NEXT;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Digits", digits);
        params.put("FinishedOnKey", keys.finishedOn == 0 ? "" : String.valueOf(keys.finishedOn));
        return new Outcome.Navigate(ctx.resolve(gather.action()), gather.method(), params);
    }

    /** The keys pressed so far and whether they end the Gather. */
    private static final class Keys {
        final String finishOnKey;
        final Integer numDigits;
        final StringBuilder digits = new StringBuilder();
        char finishedOn;

        Keys(String finishOnKey, Integer numDigits) {
            this.finishOnKey = finishOnKey == null ? "" : finishOnKey;
            this.numDigits = numDigits;
        }

        void press(char key) {
            if (finishOnKey.indexOf(key) >= 0) finishedOn = key;
            else digits.append(key);
        }

        boolean done() {
            return finishedOn != 0 || (numDigits != null && digits.length() >= numDigits);
        }
    }
}
