package io.twimlagi.ami;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An AMI Originate: Asterisk dials {@code channel} and, once it answers, runs either a dialplan location
 * ({@code context}, {@code exten}, {@code priority}) or an application ({@code application}, {@code data}).
 * Build one with {@link #toExtension} or {@link #toApplication}, then the {@code with…} methods. Every value is
 * checked here (no control characters, names of the right shape), so a bad one fails before anything is sent.
 *
 * <p>Asterisk refuses applications whose name contains AGI, Exec, System, Originate, MixMonitor, Reload,
 * DBdeltree or ExternalIVR (and data using SHELL, EVAL, FILE, CURL, DB, ODBC, REALTIME) unless the AMI user has the
 * {@code system} permission: enter our AGI through a dialplan location instead.
 *
 * @param channel        a dial string: {@code PJSIP/endpoint}, {@code PJSIP/trunk/sip:bob@host},
 *                       {@code Local/exten@context}
 * @param context        with {@code exten} and {@code priority}, where the answered channel goes; null with an
 *                       application
 * @param application    with {@code data} (may be empty), what the answered channel runs; null with a context
 * @param timeout        how long Asterisk lets it ring (default 30 s, Asterisk's)
 * @param callerId       e.g. {@code "Alice" <+15550001111>}; null for none
 * @param variables      channel variables set on the new channel before it dials (names: NAME or FUNC(args),
 *                       e.g. {@code PJSIP_HEADER(add,X-Tag)}), in order; any text without control characters
 *                       (escaped on the wire, {@link #wireVariables}), one AMI line each, at most
 *                       {@value #MAX_VARIABLES}
 * @param channelId      the new channel's Uniqueid (letters, digits, . _ -; at most 149), or null for Asterisk's
 * @param otherChannelId for a Local channel, the Uniqueid of its ;2 half (needs channelId)
 */
public record Originate(String channel, String context, String exten, int priority, String application,
                        String data, Duration timeout, String callerId, Map<String, String> variables,
                        String channelId, String otherChannelId) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);
    /** Asterisk reads at most 128 header lines per action (AST_MAX_MANHEADERS); the Originate's own take ~15. */
    static final int MAX_VARIABLES = 100;
    private static final String VARIABLE_HEADER = "Variable";

    public Originate {
        AmiText.channel("channel", channel);
        if (application == null) {
            AmiText.required("context", context, 79);
            AmiText.required("exten", exten, 79);
            if (priority < 1) throw new IllegalArgumentException("priority must be 1 or more: " + priority);
            if (data != null) throw new IllegalArgumentException("data goes with an application, not a context");
        } else {
            AmiText.application(application);
            if (context != null || exten != null) {
                throw new IllegalArgumentException("either an application or context/exten/priority, not both");
            }
            data = data == null ? "" : data;
            AmiText.plain("data", data);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be 1 ms to 1 day: " + timeout);
        }
        AmiText.plain("callerId", callerId);
        Map<String, String> vars = new LinkedHashMap<>();
        Objects.requireNonNull(variables, "variables").forEach((name, value) -> vars.put(AmiText.variable(name), AmiText.plain("value of " + name,
                Objects.requireNonNull(value, "value of " + name))));
        if (vars.size() > MAX_VARIABLES) {
            throw new IllegalArgumentException(vars.size() + " variables: Asterisk reads at most " + MAX_VARIABLES
                    + " in one Originate");
        }
        vars.forEach((name, value) -> {
            if (AmiText.lineBytes(VARIABLE_HEADER, name + "=" + AmiText.variableValue(value))
                    > AmiText.MAX_LINE_BYTES) {
                throw new IllegalArgumentException("variable " + name + " is longer than one AMI line ("
                        + AmiText.MAX_LINE_BYTES + " bytes): split it (withVariableParts)");
            }
        });
        variables = Collections.unmodifiableMap(vars);
        AmiText.uniqueId("channelId", channelId);
        AmiText.uniqueId("otherChannelId", otherChannelId);
        if (otherChannelId != null && channelId == null) {
            throw new IllegalArgumentException("otherChannelId needs channelId");
        }
    }

    /** Dial {@code channel}; when answered it continues at {@code context,exten,priority}. */
    public static Originate toExtension(String channel, String context, String exten, int priority) {
        return new Originate(channel, context, exten, priority, null, null, DEFAULT_TIMEOUT, null, Map.of(), null,
                null);
    }

    /** Dial {@code channel}; when answered it runs {@code application(data)}. */
    public static Originate toApplication(String channel, String application, String data) {
        return new Originate(channel, null, null, 0, application, data, DEFAULT_TIMEOUT, null, Map.of(), null, null);
    }

    public Originate withTimeout(Duration ringing) {
        return new Originate(channel, context, exten, priority, application, data, ringing, callerId, variables,
                channelId, otherChannelId);
    }

    public Originate withCallerId(String id) {
        return new Originate(channel, context, exten, priority, application, data, timeout, id, variables, channelId,
                otherChannelId);
    }

    /** Adds (or replaces) one channel variable. */
    public Originate withVariable(String name, String value) {
        Map<String, String> vars = new LinkedHashMap<>(variables);
        vars.put(name, value);
        return new Originate(channel, context, exten, priority, application, data, timeout, callerId, vars,
                channelId, otherChannelId);
    }

    /**
     * Adds a value that may be longer than one AMI line, in at most {@code maxParts} variables: {@code name},
     * then {@code name_2}, {@code name_3}... (only as many as needed), which the dialplan joins back
     * ({@code ${NAME}${NAME_2}...}: unset ones are empty). Too long even so: {@link IllegalArgumentException}.
     */
    public Originate withVariableParts(String name, String value, int maxParts) {
        Objects.requireNonNull(value, "value of " + name);
        Map<String, String> vars = new LinkedHashMap<>(variables);
        int start = 0;
        int part = 1;
        do {
            if (part > maxParts) {
                throw new IllegalArgumentException("variable " + name + " does not fit in " + maxParts
                        + " AMI lines");
            }
            String partName = part == 1 ? name : name + "_" + part;
            int budget = AmiText.MAX_LINE_BYTES - AmiText.lineBytes(VARIABLE_HEADER, partName + "=");
            int end = start;
            while (end < value.length()) {
                int cp = value.codePointAt(end);
                String one = new String(Character.toChars(cp));
                int bytes = AmiText.variableValue(one).getBytes(StandardCharsets.UTF_8).length;
                if (bytes > budget) break;
                budget -= bytes;
                end += Character.charCount(cp);
            }
            vars.put(partName, value.substring(start, end));
            start = end;
            part++;
        } while (start < value.length());
        return new Originate(channel, context, exten, priority, application, data, timeout, callerId, vars,
                channelId, otherChannelId);
    }

    /** The variables as the {@code Variable} headers carry them: values escaped for Asterisk's parser. */
    public Map<String, String> wireVariables() {
        Map<String, String> wire = new LinkedHashMap<>();
        variables.forEach((name, value) -> wire.put(name, AmiText.variableValue(value)));
        return wire;
    }

    /** Fixes the new channel's Uniqueid (and, for a Local channel, its ;2 half's; null for Asterisk's). */
    public Originate withChannelIds(String id, String otherId) {
        return new Originate(channel, context, exten, priority, application, data, timeout, callerId, variables, id,
                otherId);
    }
}
