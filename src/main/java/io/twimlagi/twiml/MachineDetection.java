package io.twimlagi.twiml;

/**
 * Answering-machine detection settings of a Number/Sip noun (present only when {@code machineDetection} is set).
 * Integer fields are null when not written (Twilio defaults: 30 s, 2400 ms, 1200 ms, 5000 ms).
 */
public record MachineDetection(String mode, Integer timeout, Integer speechThreshold, Integer speechEndThreshold,
                               Integer silenceTimeout, String statusCallback, HttpMethod statusCallbackMethod) {}
