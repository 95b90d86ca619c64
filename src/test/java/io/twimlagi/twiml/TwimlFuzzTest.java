package io.twimlagi.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The parser against 20,000 random documents ({@link TwimlFuzzer}, fixed seed): {@code parse} returns a Document or
 * throws TwimlException and nothing else, {@code check} never fails internally and agrees with {@code parse}, and
 * every value in the model is within its documented range with its default applied.
 */
class TwimlFuzzTest {
    private static final long SEED = 20240611L;
    private static final int CASES = 20_000;
    private static final Pattern DTMF = Pattern.compile("[0-9A-D#*wW]+");
    private static final Pattern VOICE = Pattern.compile(
            "man|woman|alice|(Polly|Google|Amazon|Azure|ElevenLabs)\\.[A-Za-z0-9._-]+");
    private static final Set<String> RECORDING_EVENTS = Set.of("in-progress", "completed", "absent");
    private static final Set<String> CALL_EVENTS = Set.of("initiated", "ringing", "answered", "completed");

    @Test
    void randomDocumentsGiveADocumentOrATwimlExceptionAndAValidModel() {
        TwimlFuzzer fuzzer = new TwimlFuzzer(SEED);
        int documents = 0;
        int fatal = 0;
        int verbs = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] body = fuzzer.document();
            String where = "case " + i + " (seed " + SEED + "): " + excerpt(body);
            List<Problem> checked;
            try {
                checked = TwimlParser.check(body);
            } catch (Throwable t) {
                throw new AssertionError("check threw in " + where, t);
            }
            assertTrue(checked.stream().noneMatch(p -> p.code() == 12400), () -> "internal error in " + where
                    + ": " + checked);
            boolean error = checked.stream().anyMatch(Problem::error);
            try {
                Document d = TwimlParser.parse(body);
                assertFalse(error, () -> "parse accepted what check rejects in " + where);
                assertEquals(checked, d.warnings(), () -> where);
                int lines = lines(body);
                Checks checks = new Checks(where, lines);
                for (Verb v : d.verbs()) v.accept(checks);
                d.warnings().forEach(w -> assertTrue(w.line() >= 0 && w.line() <= lines, () -> w + " in " + where));
                documents++;
                verbs += d.verbs().size();
            } catch (TwimlException e) {
                assertTrue(error, () -> "parse threw " + e.code() + " but check found no error in " + where);
                assertEquals(checked, e.problems(), () -> where);
                assertTrue(Set.of(11750, 12100, 12102).contains(e.code()), () -> e.code() + " in " + where);
                fatal++;
            } catch (Throwable t) {
                throw new AssertionError("parse threw " + t + " in " + where, t);
            }
        }
        // the generator reaches both outcomes often (not a test of the parser, of the fuzzer)
        assertTrue(documents > CASES / 2 && fatal > CASES / 20, "documents " + documents + ", fatal " + fatal);
        assertTrue(verbs > CASES, "verbs " + verbs);
    }

    /** Lines as XML counts them: LF, CRLF and a lone CR each end one. */
    private static int lines(byte[] body) {
        int n = 1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n' || (body[i] == '\r' && (i + 1 == body.length || body[i + 1] != '\n'))) n++;
        }
        return n;
    }

    private static String excerpt(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + body.length + " bytes)";
    }

    /** The documented ranges and defaults of every verb and noun. */
    private record Checks(String where, int lines) implements VerbVisitor<Void> {
        private void line(int line) {
            assertTrue(line >= 1 && line <= lines, () -> "line " + line + " in " + where);
        }

        private void events(Set<String> events, Set<String> allowed) {
            assertNotNull(events, where);
            assertTrue(allowed.containsAll(events), () -> events + " in " + where);
        }

        @Override
        public Void visitSay(Say v) {
            line(v.line());
            assertTrue(VOICE.matcher(v.voice()).matches(), () -> v.voice() + " in " + where);
            assertFalse(v.language().isEmpty(), where);
            assertTrue(v.loop() >= 0, where);
            for (SayPart p : v.parts()) {
                if (p instanceof SayPart.Text t) assertFalse(t.text().isEmpty(), where);
                if (p instanceof SayPart.Break b) {
                    assertTrue(!b.duration().isNegative() && b.duration().toMillis() <= 10_000, where);
                }
            }
            return null;
        }

        @Override
        public Void visitPlay(Play v) {
            line(v.line());
            assertNotNull(v.url(), where);
            assertTrue(v.loop() >= 0, where);
            assertTrue(v.digits() == null || DTMF.matcher(v.digits()).matches(), where);
            return null;
        }

        @Override
        public Void visitPause(Pause v) {
            line(v.line());
            assertTrue(v.length() >= 1, where);
            return null;
        }

        @Override
        public Void visitGather(Gather v) {
            line(v.line());
            assertNotNull(v.method(), where);
            assertNotNull(v.partialResultCallbackMethod(), where);
            assertFalse(v.input().isEmpty(), where);
            assertTrue(v.timeout() >= 0, where);
            assertTrue(v.finishOnKey().matches("[0-9#*]?"), () -> v.finishOnKey() + " in " + where);
            assertTrue(v.numDigits() == null || v.numDigits() >= 1, where);
            assertTrue(v.maxSpeechTime() == null || v.maxSpeechTime() >= 1, where);
            assertTrue(v.speechTimeout() == null || v.speechTimeout().matches("auto|\\d{1,9}"), where);
            assertFalse(v.language().isEmpty(), where);
            for (Verb p : v.prompts()) {
                assertTrue(p instanceof Say || p instanceof Pause || (p instanceof Play play && play.digits() == null),
                        () -> p + " in " + where);
                p.accept(this);
            }
            return null;
        }

        @Override
        public Void visitRecord(Record v) {
            line(v.line());
            assertNotNull(v.method(), where);
            assertNotNull(v.recordingStatusCallbackMethod(), where);
            assertNotNull(v.trim(), where);
            assertTrue(v.timeout() >= 0 && v.maxLength() >= 1, where);
            assertTrue(v.finishOnKey().matches("[0-9#*]*"), where);
            assertFalse(v.recordingStatusCallbackEvent().isEmpty(), where);
            events(v.recordingStatusCallbackEvent(), RECORDING_EVENTS);
            return null;
        }

        @Override
        public Void visitDial(Dial v) {
            line(v.line());
            assertNotNull(v.method(), where);
            assertNotNull(v.recordingStatusCallbackMethod(), where);
            assertNotNull(v.referMethod(), where);
            assertNotNull(v.record(), where);
            assertNotNull(v.trim(), where);
            assertTrue(v.timeout() >= 1 && v.timeout() <= 600, () -> v.timeout() + " in " + where);
            assertTrue(v.timeLimit() >= 1 && v.timeLimit() <= 86400, where);
            assertTrue(Set.of("inbound", "outbound", "both").contains(v.recordingTrack()), where);
            assertFalse(v.recordingStatusCallbackEvent().isEmpty(), where);
            events(v.recordingStatusCallbackEvent(), RECORDING_EVENTS);
            long endpoints = v.nouns().stream().filter(n -> n instanceof Number || n instanceof Sip
                    || n instanceof Client).count();
            assertTrue(endpoints <= 10, where);
            for (DialNoun n : v.nouns()) noun(n);
            return null;
        }

        private void noun(DialNoun n) {
            line(n.line());
            if (n instanceof Number x) {
                assertFalse(x.number().isEmpty(), where);
                assertTrue(x.sendDigits() == null || DTMF.matcher(x.sendDigits()).matches(), where);
                assertNotNull(x.method(), where);
                assertNotNull(x.statusCallbackMethod(), where);
                events(x.statusCallbackEvent(), CALL_EVENTS);
                machineDetection(x.machineDetection());
            } else if (n instanceof Sip x) {
                sip(x);
            } else if (n instanceof Client x) {
                assertFalse(x.identity().isEmpty(), where);
                assertNotNull(x.method(), where);
                events(x.statusCallbackEvent(), CALL_EVENTS);
            } else if (n instanceof Conference x) {
                assertFalse(x.name().isEmpty(), where);
                assertNotNull(x.beep(), where);
                assertNotNull(x.record(), where);
                assertNotNull(x.trim(), where);
                assertNotNull(x.waitMethod(), where);
                assertTrue(x.maxParticipants() >= 2 && x.maxParticipants() <= 250, where);
                assertTrue(Set.of("small", "medium", "large", "off").contains(x.jitterBufferSize()), where);
                assertTrue(x.region() == null || x.region().matches("us1|us2|ie1|de1|sg1|br1|au1|jp1"), where);
                assertFalse(x.recordingStatusCallbackEvent().isEmpty(), where);
            } else if (n instanceof Queue x) {
                assertFalse(x.name().isEmpty(), where);
                assertNotNull(x.method(), where);
            } else {
                assertTrue(Set.of("Application", "Sim", "WhatsApp").contains(((GenericNoun) n).name()), where);
            }
        }

        private void sip(Sip x) {
            line(x.line());
            assertNotNull(x.uri(), where);
            assertNotNull(x.method(), where);
            assertNotNull(x.statusCallbackMethod(), where);
            events(x.statusCallbackEvent(), CALL_EVENTS);
            x.headers().forEach((k, val) -> assertTrue(!k.isEmpty() && val != null, where));
            machineDetection(x.machineDetection());
        }

        private void machineDetection(MachineDetection m) {
            if (m == null) return;
            assertTrue(Set.of("Enable", "DetectMessageEnd").contains(m.mode()), where);
            assertTrue(m.timeout() == null || (m.timeout() >= 3 && m.timeout() <= 60), where);
            assertTrue(m.speechThreshold() == null || (m.speechThreshold() >= 1000 && m.speechThreshold() <= 6000),
                    where);
            assertTrue(m.speechEndThreshold() == null
                    || (m.speechEndThreshold() >= 500 && m.speechEndThreshold() <= 5000), where);
            assertTrue(m.silenceTimeout() == null || (m.silenceTimeout() >= 2000 && m.silenceTimeout() <= 10000),
                    where);
            assertNotNull(m.statusCallbackMethod(), where);
        }

        @Override
        public Void visitHangup(Hangup v) {
            line(v.line());
            return null;
        }

        @Override
        public Void visitRedirect(Redirect v) {
            line(v.line());
            assertNotNull(v.url(), where);
            assertEquals(v.url().trim(), v.url(), where);
            assertNotNull(v.method(), where);
            return null;
        }

        @Override
        public Void visitReject(Reject v) {
            line(v.line());
            assertNotNull(v.reason(), where);
            return null;
        }

        @Override
        public Void visitRefer(Refer v) {
            line(v.line());
            assertNotNull(v.method(), where);
            if (v.target() != null) sip(v.target());
            return null;
        }

        @Override
        public Void visitEnqueue(Enqueue v) {
            line(v.line());
            assertNotNull(v.queueName(), where);
            assertNotNull(v.method(), where);
            assertNotNull(v.waitUrlMethod(), where);
            assertTrue(v.maxQueueSize() == null || v.maxQueueSize() >= 1, where);
            if (v.task() != null) {
                assertTrue(v.task().priority() == null || v.task().priority() >= 0, where);
                assertTrue(v.task().timeout() == null || v.task().timeout() >= 0, where);
            }
            return null;
        }

        @Override
        public Void visitLeave(Leave v) {
            line(v.line());
            return null;
        }

        @Override
        public Void visitConnect(Connect v) {
            line(v.line());
            assertNotNull(v.method(), where);
            media(v.nouns());
            return null;
        }

        @Override
        public Void visitStart(Start v) {
            line(v.line());
            assertNotNull(v.method(), where);
            media(v.nouns());
            return null;
        }

        @Override
        public Void visitStop(Stop v) {
            line(v.line());
            media(v.nouns());
            return null;
        }

        private void media(List<MediaNoun> nouns) {
            for (MediaNoun n : nouns) {
                line(n.line());
                if (n instanceof Stream s) {
                    assertTrue(Set.of("inbound_track", "outbound_track", "both_tracks").contains(s.track()), where);
                    assertNotNull(s.statusCallbackMethod(), where);
                } else if (n instanceof Recording r) {
                    events(r.recordingStatusCallbackEvent(), RECORDING_EVENTS);
                    assertNotNull(r.recordingStatusCallbackMethod(), where);
                }
            }
        }

        @Override
        public Void visitPay(Pay v) {
            line(v.line());
            assertNotNull(v.method(), where);
            for (Prompt p : v.prompts()) {
                for (Verb k : p.children()) {
                    assertTrue(k instanceof Say || k instanceof Play || k instanceof Pause, where);
                    k.accept(this);
                }
            }
            return null;
        }

        @Override
        public Void visitSms(Sms v) {
            line(v.line());
            assertNotNull(v.method(), where);
            return null;
        }

        @Override
        public Void visitEcho(Echo v) {
            line(v.line());
            return null;
        }
    }
}
