package io.twimlagi.records;

/**
 * A list filter the store cannot use (a bad date, an unknown status). {@link #parameter()} is Twilio's parameter
 * name as sent ({@code StartTime>}, {@code Status}...), for a 400 answer naming it.
 */
public final class FilterException extends IllegalArgumentException {
    private final String parameter;

    public FilterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
