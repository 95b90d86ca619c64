package io.twimlagi.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the server logs in to the Asterisk Manager Interface: {@code ami_host} (default {@value #DEFAULT_HOST}),
 * {@code ami_port} (default {@value #DEFAULT_PORT}), {@code ami_username} and {@code ami_secret} (a user of
 * manager.conf, see asterisk-conf/manager-twiml.conf). AMI is off (no record) without username and secret.
 * {@link #toString} never prints the secret.
 */
public record Ami(String host, int port, String username, String secret) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5038;
    /** A manager.conf section name: no brackets, spaces or separators AMI's Login line would mangle. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,80}");
    /** Visible ASCII: the secret travels in an AMI line and sits in manager.conf. */
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{1,128}");

    public Ami {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("ami_port " + port + " is not 1..65535");
        String problem = usernameProblem(username);
        if (problem == null) problem = secretProblem(secret);
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    /** Null when {@code username} is acceptable, else why not. */
    static String usernameProblem(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return "ami_username must be 1 to 80 letters, digits, '.', '_', '@', '+' or '-' (a user section of "
                    + "manager.conf)";
        }
        return null;
    }

    /** asterisk-conf/manager-twiml.conf's placeholder: a secret everyone knows is refused. */
    static final String PLACEHOLDER = "AMI_SECRET";

    /** Null when {@code secret} is acceptable, else why not. */
    static String secretProblem(String secret) {
        if (PLACEHOLDER.equals(secret)) {
            return "is the placeholder of asterisk-conf/manager-twiml.conf: make a secret (openssl rand -hex 24) and"
                    + " put it in both files";
        }
        if (secret == null || !SECRET.matcher(secret).matches()) {
            return "ami_secret must be 1 to 128 visible ASCII characters, no spaces (e.g. the output of: openssl "
                    + "rand -hex 24)";
        }
        return null;
    }

    @Override
    public String toString() {
        return "Ami[host=" + host + ", port=" + port + ", username=" + username + ", secret=***]";
    }
}
