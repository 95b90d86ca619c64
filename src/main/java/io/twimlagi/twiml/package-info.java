/**
 * TwiML (Twilio Voice markup) parsing into an immutable, typed model, plus the {@code lint} checker.
 *
 * <h2>Conventions of the model</h2>
 * <ul>
 *   <li><b>Absent values are {@code null}</b> (never {@link java.util.Optional}): an optional URL, string or
 *       {@code Integer} that was not written in the document is {@code null}. Attributes that have a Twilio default
 *       are never {@code null}: the default is already applied (e.g. {@code Say.voice() == "man"}).</li>
 *   <li>Collections are never {@code null} and are immutable (empty when absent).</li>
 *   <li>URLs are kept exactly as written (trimmed); relative URLs are resolved later by the engine against the URL of
 *       the current document. An empty string URL (e.g. {@code <Redirect/>}) resolves to the current document.</li>
 *   <li>Every verb and noun carries {@code line()}: the 1-based source line of its start tag (for logs).</li>
 *   <li>Attributes with a fixed set of values Twilio spells are enums implementing {@link io.twimlagi.twiml.TwimlValue}
 *       ({@link io.twimlagi.twiml.Trim}, {@link io.twimlagi.twiml.RingTone}, {@code Dial.RecordMode},
 *       {@code Conference.Beep}...): their {@code toString()} is Twilio's spelling.</li>
 *   <li>Invalid attribute values produce a warning (Twilio's verb-specific code when there is one, else 12200) and
 *       the attribute falls back to its default.</li>
 * </ul>
 * Entry points: {@link io.twimlagi.twiml.TwimlParser#parse(byte[])} (runtime, throws on fatal problems) and
 * {@link io.twimlagi.twiml.TwimlParser#check(byte[])} / {@link io.twimlagi.twiml.Lint} (all problems).
 */
package io.twimlagi.twiml;
