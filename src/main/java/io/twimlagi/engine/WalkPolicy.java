package io.twimlagi.engine;

import io.twimlagi.twiml.Gather;
import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.Leave;
import io.twimlagi.twiml.Pause;
import io.twimlagi.twiml.Play;
import io.twimlagi.twiml.Redirect;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.Verb;

import java.time.Duration;
import java.util.Set;

/**
 * The rules of one walk through TwiML documents.
 *
 * @param name               for the logs ({@code call}, {@code screening}, {@code wait})
 * @param allowed            the verbs that may run; null = every verb
 * @param skipNotAllowed     true: a verb not allowed is logged and skipped; false: it ends the walk
 * @param ending             verbs that end the walk where they stand, without running
 * @param maxDocuments       documents fetched in all
 * @param maxRedirectsInARow documents fetched in a row while nothing but {@code <Redirect>} ran (a loop guard)
 * @param timeLimit          how long the walk may take (null = no limit); at the limit the media command in
 *                           progress is interrupted and the walk ends with {@link WalkEnd#TIME_UP}
 * @param fallback           whether a failed fetch tries the domain's {@code voice_fallback_url} once
 */
public record WalkPolicy(String name, Set<Class<? extends Verb>> allowed, boolean skipNotAllowed,
                         Set<Class<? extends Verb>> ending, int maxDocuments, int maxRedirectsInARow,
                         Duration timeLimit, boolean fallback) {
    /** Documents fetched in a row without any other verb running: a Redirect loop. Twilio publishes no number. */
    public static final int MAX_REDIRECTS_IN_A_ROW = 50;

    /** A call's own TwiML: every verb, the fallback URL, no limit but the Redirect-loop guard. */
    public static final WalkPolicy CALL = new WalkPolicy("call", null, false, Set.of(), Integer.MAX_VALUE,
            MAX_REDIRECTS_IN_A_ROW, null, true);

    /**
     * A Dial noun's screening {@code url} on the called party (Twilio: Play, Say, Gather, Hangup; Pause and Redirect
     * as well): {@code <Hangup>} refuses the leg without hanging it up; at most 5 minutes, since the waiting caller's
     * hangup is only reported when the screening ends.
     */
    public static final WalkPolicy SCREENING = new WalkPolicy("screening",
            Set.of(Play.class, Say.class, Gather.class, Hangup.class, Pause.class, Redirect.class), false,
            Set.of(Hangup.class), MAX_REDIRECTS_IN_A_ROW, MAX_REDIRECTS_IN_A_ROW, Duration.ofMinutes(5), false);

    /**
     * An {@code <Enqueue>}'s waitUrl document, looping while the caller waits (Twilio: Play, Say, Pause, Gather,
     * Redirect, Leave, Hangup; others are skipped): {@code <Leave>} ends it where it stands (the caller leaves the
     * queue); up to 50 documents per round, then the waitUrl is requested again.
     */
    public static final WalkPolicy QUEUE_WAIT = new WalkPolicy("queue wait",
            Set.of(Play.class, Say.class, Pause.class, Gather.class, Redirect.class, Leave.class, Hangup.class), true,
            Set.of(Leave.class), MAX_REDIRECTS_IN_A_ROW, MAX_REDIRECTS_IN_A_ROW, null, false);

    /**
     * A {@code <Dial><Queue url>} document, run on the dequeued caller before the bridge while the agent waits
     * (Twilio: Play, Say, Pause, Redirect; others are skipped); at most 5 minutes.
     */
    public static final WalkPolicy QUEUE_URL = new WalkPolicy("queue url",
            Set.of(Play.class, Say.class, Pause.class, Redirect.class), true, Set.of(), MAX_REDIRECTS_IN_A_ROW,
            MAX_REDIRECTS_IN_A_ROW, Duration.ofMinutes(5), false);

    public WalkPolicy {
        allowed = allowed == null ? null : Set.copyOf(allowed);
        ending = Set.copyOf(ending);
    }

    /** The same rules with another time limit (tests). */
    public WalkPolicy withTimeLimit(Duration limit) {
        return new WalkPolicy(name, allowed, skipNotAllowed, ending, maxDocuments, maxRedirectsInARow, limit,
                fallback);
    }

    boolean allows(Verb verb) {
        return allowed == null || allowed.contains(verb.getClass());
    }

    boolean ends(Verb verb) {
        return ending.contains(verb.getClass());
    }
}
