package io.twimlagi;

import io.twimlagi.server.TwimlAgiServer;
import io.twimlagi.config.Config;
import io.twimlagi.config.ConfigException;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.media.MediaException;
import io.twimlagi.twiml.Lint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** Command line: {@code --config FILE} runs the server, {@code lint FILE...} checks TwiML, {@code --help}. */
public final class Main {
    static final String USAGE = """
            twiml-agi: runs Twilio TwiML applications on Asterisk SIP calls (FastAGI server)

            usage:
              java -jar twiml-agi.jar --config FILE   start the server with this INI config
              java -jar twiml-agi.jar lint FILE...    check TwiML documents offline with the parser calls use;
                                                      prints FILE:LINE: CODE message, exits 0 when every
                                                      document would run (warnings allowed), 1 otherwise
              java -jar twiml-agi.jar --help          this text

            The config is one INI file in Asterisk's style ([general] plus one section per SIP domain);
            a bad config stops start-up with FILE:LINE: what is wrong, exit code 2. See README.md.
            """;

    private Main() {
    }

    /** SIGHUP re-reads the config for new calls; a broken file is reported and the old config kept. */
    private static void reloadOnSighup(Path configFile, TwimlAgiServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                try {
                    server.reload(ConfigLoader.load(configFile));
                } catch (ConfigException e) {
                    System.err.println("config reload refused, keeping the running config: " + e.getMessage());
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            System.err.println("SIGHUP reload unavailable on this JVM: " + e.getMessage());
        }
    }

    public static void main(String[] args) {
        int code = run(args);
        Logging.flush(); // e.g. the lines of a server that could not start
        System.exit(code);
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("lint")) {
            if (args.length == 1) {
                System.err.println("lint: name at least one TwiML file");
                return 2;
            }
            return Lint.run(Arrays.asList(args).subList(1, args.length), System.out);
        }
        if (args[0].equals("--config") && args.length == 2) return serve(Path.of(args[1]));
        if (args[0].startsWith("--config=") && args.length == 1) return serve(Path.of(args[0].substring(9)));
        System.err.print("unknown arguments: " + String.join(" ", args) + "\n\n" + USAGE);
        return 2;
    }

    private static int serve(Path configFile) {
        Config config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Logging.setLevel(config.general().logLevel());
        TwimlAgiServer server;
        try {
            server = TwimlAgiServer.start(config);
        } catch (IOException | MediaException e) {
            System.err.println("twiml-agi: cannot start: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // SIGTERM, SIGINT
            try {
                server.shutdown(Duration.ofSeconds(config.general().shutdownGraceSeconds()));
            } finally {
                Logging.flush(); // the shutdown's own lines too, even when it failed
                stopped.countDown();
            }
        }, "shutdown"));
        reloadOnSighup(configFile, server);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
