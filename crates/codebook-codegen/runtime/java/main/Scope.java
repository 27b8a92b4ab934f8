package dev.codebook.codes;

/** Who a range of numbers belongs to; {@link #UNASSIGNED} when no range rule covers it. */
public enum Scope {
    /** Defined by the WebSocket protocol (RFC 6455) and the IANA registry. */
    PROTOCOL("protocol"),
    /** Registered with IANA by libraries and frameworks (3000-3999). */
    REGISTERED("registered"),
    /** Private use of the platform that owns the family (4000-4999). */
    PRIVATE("private"),
    /** Reserved for the server's built-in codes. */
    SERVER("server"),
    /** Custom codes chosen by the application built on the platform. */
    APPLICATION("application"),
    /** Produced by client libraries themselves. */
    CLIENT("client"),
    /** Covered by no range rule; the family's fallback applies. */
    UNASSIGNED("unassigned");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    /**
     * The lower-case word used in codes.yaml, JSON and every binding.
     *
     * @return the word, e.g. {@code "private"}
     */
    public String wire() {
        return wire;
    }

    /**
     * The wire spelling, as every binding prints it.
     *
     * @return the same as {@link #wire()}
     */
    @Override
    public String toString() {
        return wire;
    }
}
