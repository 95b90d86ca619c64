package io.twimlagi.twiml;

/**
 * One method per {@link Verb} type: code that must handle every verb (the executors) implements it, and adding a
 * verb to the sealed {@code Verb} breaks the build until every visitor handles it. A visitor rather than a
 * {@code switch} over the sealed type because pattern matching in {@code switch} needs Java 21 (preview on 17,
 * our baseline), and an {@code instanceof} chain or a map by class is not checked by the compiler.
 *
 * @param <R> what a visit returns
 */
public interface VerbVisitor<R> {
    R visitSay(Say verb);

    R visitPlay(Play verb);

    R visitPause(Pause verb);

    R visitGather(Gather verb);

    R visitRecord(Record verb);

    R visitDial(Dial verb);

    R visitHangup(Hangup verb);

    R visitRedirect(Redirect verb);

    R visitReject(Reject verb);

    R visitRefer(Refer verb);

    R visitEnqueue(Enqueue verb);

    R visitLeave(Leave verb);

    R visitConnect(Connect verb);

    R visitStart(Start verb);

    R visitStop(Stop verb);

    R visitPay(Pay verb);

    R visitSms(Sms verb);

    R visitEcho(Echo verb);
}
