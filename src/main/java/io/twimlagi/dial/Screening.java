package io.twimlagi.dial;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.DocumentWalker;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.VerbDispatch;
import io.twimlagi.engine.VerbRunner;
import io.twimlagi.engine.WalkEnd;
import io.twimlagi.engine.WalkPolicy;
import io.twimlagi.twiml.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * A Dial noun's screening {@code url}, run on the called party after it answered and before the bridge
 * ({@link WalkPolicy#SCREENING}): the documents running out means connect; {@code <Hangup>}, a failed fetch, a verb
 * not allowed there (error 13201 for Dial), the time limit or the callee hanging up mean not connected.
 */
public final class Screening implements Screener {
    private static final Logger log = LoggerFactory.getLogger(Screening.class);

    private final DocumentWalker walker;
    private final VerbRunner runner;
    private final WalkPolicy policy;

    /** @param dispatch the executors of the verbs a screening may use */
    public Screening(DocumentWalker walker, VerbDispatch dispatch) {
        this(walker, dispatch, WalkPolicy.SCREENING);
    }

    private Screening(DocumentWalker walker, VerbRunner runner, WalkPolicy policy) {
        this.walker = walker;
        this.runner = runner;
        this.policy = policy;
    }

    private Screening(DocumentWalker walker, VerbDispatch dispatch, WalkPolicy policy) {
        this(walker, VerbRunner.onCall(dispatch), policy);
    }

    /** The same screening with another time limit (tests). */
    Screening withTimeLimit(Duration limit) {
        return new Screening(walker, runner, policy.withTimeLimit(limit));
    }

    /** {@code child} is the child leg's context on the callee; true = connect it. */
    @Override
    public boolean screen(CallContext child, String url, HttpMethod method) {
        WalkEnd end = walker.walk(child, new Outcome.Navigate(url, method, Map.of()), policy, runner);
        boolean connect = end == WalkEnd.DOCUMENTS_RAN_OUT && !child.call().isGone();
        log.info("{} screening done ({}): {}", child.callSid(), end, connect ? "connecting" : "not connecting");
        return connect;
    }
}
