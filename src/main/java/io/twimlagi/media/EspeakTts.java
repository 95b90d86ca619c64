package io.twimlagi.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Debian's espeak-ng as the default TTS. The process gets its arguments as a list (no shell) and the text on
 * standard input, so nothing in the text can become an option or a command.
 */
public final class EspeakTts implements Tts {
    private static final Logger log = LoggerFactory.getLogger(EspeakTts.class);
    private static final Map<String, String> PREFERRED = Map.of("en", "en-us", "fr", "fr-fr", "pt", "pt-br",
            "zh", "cmn", "es", "es", "de", "de", "it", "it", "nl", "nl", "ja", "ja");
    /** Polly/Google voices we know to be female; everything else gets a male variant. */
    private static final Set<String> FEMALE = Set.of("alice", "woman", "joanna", "salli", "kimberly", "kendra",
            "ivy", "amy", "emma", "nicole", "olivia", "aria", "ayanda", "danielle", "ruth", "lea", "celine", "lupe",
            "penelope", "lucia", "conchita", "mia", "vicki", "marlene", "bianca", "carla", "camila", "vitoria",
            "ines", "lotte", "mizuki", "takumi", "seoyeon", "zhiyu", "chantal", "gabrielle", "raveena", "aditi",
            "astrid", "liv", "naja", "ewa", "maja", "tatyana", "carmen", "filiz", "gwyneth", "kajal", "hannah");

    private final String binary;
    private final Set<String> languages;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public EspeakTts(String binary) throws MediaException {
        this.binary = binary;
        this.languages = listLanguages(binary);
    }

    @Override
    public String cacheKey(String voice, String language) {
        return "espeak-ng:" + espeakVoice(voice, language);
    }

    @Override
    public byte[] synthesize(String text, String voice, String language) throws MediaException {
        Path out = null;
        try {
            out = Files.createTempFile("twiml-tts", ".wav");
            List<String> cmd = List.of(binary, "-v", espeakVoice(voice, language), "-w", out.toString(), "--stdin");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new MediaException(13520, "espeak-ng did not finish within 60 s");
            }
            if (p.exitValue() != 0) throw new MediaException(13520, "espeak-ng exited with " + p.exitValue());
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new MediaException(13520, "espeak-ng failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException(13520, "interrupted while synthesizing");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // temp file; the OS cleans up
                }
            }
        }
    }

    /** Twilio voice + language → an espeak-ng voice such as {@code en-us+f3}. */
    String espeakVoice(String voice, String language) {
        String v = voice == null ? "man" : voice;
        String lang = language == null || language.isBlank() ? "en-US" : language;
        String name = v;
        if (v.startsWith("Polly.") || v.startsWith("Google.")) {
            name = v.substring(v.indexOf('.') + 1);
            if (v.startsWith("Google.") && name.matches("[a-z]{2,3}-[A-Z]{2}-.*")) {
                lang = name.substring(0, name.indexOf('-', 3));
            }
            name = name.replaceAll("-(Neural|Generative|Standard|Wavenet|Chirp.*|Journey.*).*$", "");
            if (warned.add(v)) log.info("voice {} is not available here; using espeak-ng ({})", v, lang);
        }
        boolean female = FEMALE.contains(name.toLowerCase(Locale.ROOT));
        return espeakLanguage(lang) + (female ? "+f3" : "+m3");
    }

    String espeakLanguage(String language) {
        String l = language.toLowerCase(Locale.ROOT).replace('_', '-');
        if (languages.contains(l)) return l;
        String base = l.contains("-") ? l.substring(0, l.indexOf('-')) : l;
        String preferred = PREFERRED.get(base);
        if (preferred != null && languages.contains(preferred)) return preferred;
        if (languages.contains(base)) return base;
        for (String known : languages) {
            if (known.startsWith(base + "-")) return known;
        }
        if (warned.add("lang:" + l)) log.warn("language {} has no espeak-ng voice; speaking en-us", language);
        return "en-us";
    }

    private static Set<String> listLanguages(String binary) throws MediaException {
        try {
            Process p = new ProcessBuilder(binary, "--voices").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            List<String> langs = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 1 && f[0].matches("\\d+")) langs.add(f[1].toLowerCase(Locale.ROOT));
            }
            if (langs.isEmpty()) throw new MediaException(12400, binary + " --voices listed no voice");
            return Set.copyOf(langs);
        } catch (IOException e) {
            throw new MediaException(12400, "cannot run " + binary + " (install Debian's espeak-ng): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException(12400, "interrupted");
        }
    }
}
