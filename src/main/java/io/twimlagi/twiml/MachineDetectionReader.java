package io.twimlagi.twiml;

/** Reads the answering-machine-detection attributes of a Number or Sip noun. */
final class MachineDetectionReader {
    private static final String[] ATTRIBUTES = {"machineDetection", "machineDetectionTimeout",
            "machineDetectionSpeechThreshold", "machineDetectionSpeechEndThreshold", "machineDetectionSilenceTimeout",
            "amdStatusCallback", "amdStatusCallbackMethod"};

    private MachineDetectionReader() {}

    /** A noun's own attributes plus the machine-detection ones. */
    static String[] withAttributes(String... own) {
        String[] r = new String[own.length + ATTRIBUTES.length];
        System.arraycopy(own, 0, r, 0, own.length);
        System.arraycopy(ATTRIBUTES, 0, r, own.length, ATTRIBUTES.length);
        return r;
    }

    /** The settings, or null when {@code machineDetection} is absent or invalid. */
    static MachineDetection read(Attributes a) {
        String mode = a.s("machineDetection");
        if (mode == null) return null;
        String m = a.oneOf("machineDetection", null, TwimlParser.W_SCHEMA, "Enable", "DetectMessageEnd");
        if (m == null) return null;
        return new MachineDetection(m, a.optInt("machineDetectionTimeout", 3, 60, TwimlParser.W_SCHEMA),
                a.optInt("machineDetectionSpeechThreshold", 1000, 6000, TwimlParser.W_SCHEMA),
                a.optInt("machineDetectionSpeechEndThreshold", 500, 5000, TwimlParser.W_SCHEMA),
                a.optInt("machineDetectionSilenceTimeout", 2000, 10000, TwimlParser.W_SCHEMA), a.s("amdStatusCallback"),
                a.method("amdStatusCallbackMethod", TwimlParser.W_SCHEMA));
    }
}
