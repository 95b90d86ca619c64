package io.twimlagi.e2e.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Asterisk 22 of the e2e tests: Debian sid's package in a chroot, driven by
 * {@code scripts/asterisk-sandbox}. Config: {@code src/test/resources/asterisk-sandbox/} plus
 * {@code dialplan/twiml.conf}. PJSIP UDP on 127.0.0.1:5060, endpoint "sipp" identified by IP 127.0.0.1,
 * context twiml-inbound, AGI to agi://127.0.0.1:4573/twiml. AMI (the manager, part of Asterisk's core: manager.conf
 * of the config folder enables it) on 127.0.0.1:5038, with the users of that manager.conf.
 *
 * <pre>
 * try (AsteriskSandbox asterisk = AsteriskSandbox.start()) {
 *     Path wav = asterisk.mediaDirOnHost().resolve("hello.wav");   // the server writes here ...
 *     String inAst = asterisk.mediaDirInAsterisk() + "/hello";    // ... and Asterisk plays this
 *     asterisk.cli("pjsip show endpoints");
 * }
 * </pre>
 * Never skips: an unprovisioned machine fails with instructions.
 */
public final class AsteriskSandbox implements AutoCloseable {

    public static final String DEFAULT_ROOT = "/var/cache/twiml-agi/asterisk-sid";
    public static final String MEDIA_DIR_IN_ASTERISK = "/var/lib/twiml-agi";
    public static final String SIP_HOST = "127.0.0.1";
    public static final int SIP_PORT = 5060;
    public static final int AGI_PORT = 4573;

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final Path repo;
    private final Path root;
    private boolean closed;

    private AsteriskSandbox(Path repo, Path root) {
        this.repo = repo;
        this.root = root;
    }

    /** Starts Asterisk with the test config (restarting a running sandbox instance). Blocks until fully booted. */
    public static AsteriskSandbox start() {
        return start(null);
    }

    /** Same as {@link #start()} with another config folder (relative to the repo root, or absolute). */
    public static AsteriskSandbox start(Path confDir) {
        Path repo = repoRoot();
        Path root = sandboxRoot();
        if (!Files.isRegularFile(root.resolve(".twiml-sandbox-provisioned"))) {
            throw new IllegalStateException("The Asterisk sandbox is not provisioned at " + root
                    + ". Run once (as root): scripts/asterisk-sandbox provision"
                    + "   (it debootstraps Debian sid and installs its asterisk package; ~1 minute)");
        }
        Path conf = confDir == null ? repo.resolve("src/test/resources/asterisk-sandbox") : repo.resolve(confDir);
        ScriptResult r = runScript(repo, "start", conf.toString());
        if (r.exitCode != 0) {
            throw new IllegalStateException("scripts/asterisk-sandbox start failed (exit " + r.exitCode + "):\n" + r.output);
        }
        return new AsteriskSandbox(repo, root);
    }

    /** The chroot (host path). */
    public Path root() {
        return root;
    }

    /** Host path of the media folder: files written here are visible to Asterisk at {@link #mediaDirInAsterisk()}. */
    public Path mediaDirOnHost() {
        return root.resolve(MEDIA_DIR_IN_ASTERISK.substring(1));
    }

    /** "/var/lib/twiml-agi": the same folder as Asterisk (inside the chroot) sees it. */
    public String mediaDirInAsterisk() {
        return MEDIA_DIR_IN_ASTERISK;
    }

    /** Console log (verbose 3) of the running instance. */
    public Path consoleLog() {
        return root.resolve("var/lib/twiml-sandbox/log/console.log");
    }

    /** Asterisk's "full" log file. */
    public Path fullLog() {
        return root.resolve("var/lib/twiml-sandbox/log/full");
    }

    /** Current content of the full log ("" if absent): handy in assertion messages. */
    public String fullLogText() {
        try {
            return Files.isRegularFile(fullLog()) ? Files.readString(fullLog(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + fullLog() + ": " + e + ")";
        }
    }

    /** Runs one CLI command ({@code asterisk -rx}) and returns its output; throws if the command fails. */
    public String cli(String command) {
        ScriptResult r = runScript(repo, "cli", command);
        if (r.exitCode != 0) {
            throw new IllegalStateException("asterisk -rx '" + command + "' failed (exit " + r.exitCode + "):\n" + r.output);
        }
        return r.output;
    }

    /** Stops Asterisk ("core stop now", then kills leftovers). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScriptResult r = runScript(repo, "stop");
        if (r.exitCode != 0) {
            throw new IllegalStateException("scripts/asterisk-sandbox stop failed (exit " + r.exitCode + "):\n" + r.output);
        }
    }

    // ---------------------------------------------------------------------------------------------

    static Path sandboxRoot() {
        String env = System.getenv("TWIML_SANDBOX_ROOT");
        return Paths.get(env == null || env.isBlank() ? DEFAULT_ROOT : env);
    }

    /** Walks up from the working directory to the folder holding scripts/asterisk-sandbox. */
    public static Path repoRoot() {
        Path p = Paths.get("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("scripts/asterisk-sandbox"))) {
                return q;
            }
        }
        throw new IllegalStateException("scripts/asterisk-sandbox not found above " + p);
    }

    private record ScriptResult(int exitCode, String output) {
    }

    private static ScriptResult runScript(Path repo, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("scripts/asterisk-sandbox").toString());
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("asterisk-sandbox-", ".out");
            try {
                Process p = new ProcessBuilder(cmd)
                        .directory(repo.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                if (!p.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + SCRIPT_TIMEOUT
                            + ":\n" + Files.readString(out));
                }
                return new ScriptResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }
}
