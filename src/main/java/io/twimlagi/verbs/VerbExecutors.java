package io.twimlagi.verbs;

import io.twimlagi.engine.ApplicationError;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.VerbDispatch;
import io.twimlagi.dial.DialExecutor;
import io.twimlagi.queue.QueueDialer;
import io.twimlagi.queue.Queues;
import io.twimlagi.stream.ConnectStreamExecutor;
import io.twimlagi.stream.MediaStreams;
import io.twimlagi.stream.StartStreamExecutor;
import io.twimlagi.stream.StopStreamExecutor;
import io.twimlagi.twiml.Connect;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.Echo;
import io.twimlagi.twiml.Enqueue;
import io.twimlagi.twiml.Gather;
import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.Leave;
import io.twimlagi.twiml.Pause;
import io.twimlagi.twiml.Pay;
import io.twimlagi.twiml.Play;
import io.twimlagi.twiml.Record;
import io.twimlagi.twiml.Redirect;
import io.twimlagi.twiml.Refer;
import io.twimlagi.twiml.Reject;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.Sms;
import io.twimlagi.twiml.Start;
import io.twimlagi.twiml.Stop;
import io.twimlagi.twiml.Verb;
import io.twimlagi.twiml.VerbVisitor;

import java.util.function.Function;

/**
 * The executor for each verb this version runs; every other verb goes to {@link UnsupportedExecutor}. A visitor
 * over the sealed {@link Verb} (Java 17 has no pattern-matching {@code switch}): a new verb does not compile until
 * it is given an executor here or declared unsupported.
 */
public final class VerbExecutors implements VerbDispatch, VerbVisitor<VerbExecutors.Bound> {
    /** A verb bound to its executor: run it on a call, or ask whether it is supported. */
    record Bound(boolean supported, Function<CallContext, Outcome> run) {
    }

    private final SayExecutor say;
    private final PlayExecutor play;
    private final GatherExecutor gather;
    private final RecordExecutor record;
    private final PauseExecutor pause = new PauseExecutor();
    private final HangupExecutor hangup = new HangupExecutor();
    private final RejectExecutor reject = new RejectExecutor();
    private final RedirectExecutor redirect = new RedirectExecutor();
    private final DialExecutor dial;
    private final ReferExecutor refer;
    private final UnsupportedExecutor unsupported;
    /** Enqueue, Leave and Dial's Queue noun; null: unsupported. */
    private final Queues queues;
    private final ConnectStreamExecutor connect;
    private final StartStreamExecutor start;
    private final StopStreamExecutor stop;

    /** Every verb this version runs but the queue verbs and Media Streams. */
    public VerbExecutors(Prompts prompts, RecordExecutor record, ReferExecutor refer, DialExecutor dial,
                         ApplicationError applicationError) {
        this(prompts, record, refer, dial, null, applicationError, null);
    }

    /**
     * Every verb this version runs; {@code streams} null: no Media Streams (Connect, Start, Stop unsupported);
     * {@code queues} null: no Enqueue, Leave nor Dial Queue.
     */
    public VerbExecutors(Prompts prompts, RecordExecutor record, ReferExecutor refer, DialExecutor dial,
                         MediaStreams streams, ApplicationError applicationError, Queues queues) {
        this.queues = queues;
        this.say = new SayExecutor(prompts);
        this.play = new PlayExecutor(prompts);
        this.gather = new GatherExecutor(prompts);
        this.record = record;
        this.dial = dial;
        this.refer = refer;
        this.unsupported = new UnsupportedExecutor(applicationError);
        this.connect = streams == null ? null : new ConnectStreamExecutor(streams, unsupported::execute);
        this.start = streams == null ? null : new StartStreamExecutor(streams);
        this.stop = streams == null ? null : new StopStreamExecutor(streams);
    }

    /** The verbs that play and listen (Say, Play, Gather, Pause, Redirect, Hangup, Reject): a screening's. */
    public static VerbExecutors media(Prompts prompts, ApplicationError applicationError) {
        return new VerbExecutors(prompts, null, null, null, applicationError);
    }

    @Override
    public Outcome execute(Verb verb, CallContext ctx) {
        return verb.accept(this).run().apply(ctx);
    }

    @Override
    public boolean supports(Verb verb) {
        return verb.accept(this).supported();
    }

    /** A verb to its executor; a null executor (left out of this dispatch) makes the verb unsupported. */
    private <V extends Verb> Bound run(VerbExecutor<V> executor, V verb) {
        return executor == null ? unsupported(verb) : new Bound(true, ctx -> executor.execute(verb, ctx));
    }

    private Bound unsupported(Verb verb) {
        return new Bound(false, ctx -> unsupported.execute(verb, ctx));
    }

    @Override public Bound visitSay(Say verb) { return run(say, verb); }

    @Override public Bound visitPlay(Play verb) { return run(play, verb); }

    @Override public Bound visitPause(Pause verb) { return run(pause, verb); }

    @Override public Bound visitGather(Gather verb) { return run(gather, verb); }

    @Override public Bound visitRecord(Record verb) { return run(record, verb); }

    @Override public Bound visitDial(Dial verb) {
        return queues != null && QueueDialer.dialsQueue(verb) ? run(queues.dial(), verb) : run(dial, verb);
    }

    @Override public Bound visitHangup(Hangup verb) { return run(hangup, verb); }

    @Override public Bound visitRedirect(Redirect verb) { return run(redirect, verb); }

    @Override public Bound visitReject(Reject verb) { return run(reject, verb); }

    @Override public Bound visitRefer(Refer verb) { return run(refer, verb); }

    @Override public Bound visitEnqueue(Enqueue verb) { return run(queues == null ? null : queues.enqueue(), verb); }

    @Override public Bound visitLeave(Leave verb) { return run(queues == null ? null : queues.leave(), verb); }

    @Override public Bound visitConnect(Connect verb) { return run(connect, verb); }

    @Override public Bound visitStart(Start verb) { return run(start, verb); }

    @Override public Bound visitStop(Stop verb) { return run(stop, verb); }

    @Override public Bound visitPay(Pay verb) { return unsupported(verb); }

    @Override public Bound visitSms(Sms verb) { return unsupported(verb); }

    @Override public Bound visitEcho(Echo verb) { return unsupported(verb); }
}
