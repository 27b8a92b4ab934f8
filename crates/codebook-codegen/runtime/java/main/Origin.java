package dev.codebook.codes;

/** Who emits a code. */
public enum Origin {
    /** Sent by the server. */
    SERVER("server"),
    /** Produced by a client library itself. */
    CLIENT_LIBRARY("client_library"),
    /** Reported locally by the browser or WebSocket stack; never sent in a close frame. */
    USER_AGENT("user_agent"),
    /** Recorded by the server itself (logs, metrics) and never sent to a client. */
    SERVER_INTERNAL("server_internal");

    private final String wire;

    Origin(String wire) {
        this.wire = wire;
    }

    /**
     * The lower-case word used in codes.yaml, JSON and every binding.
     *
     * @return the word, e.g. {@code "client_library"}
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

    /**
     * Does a code of this origin never travel to a client in a close frame or message?
     *
     * @return true for {@link #USER_AGENT} and {@link #SERVER_INTERNAL}
     */
    public boolean neverOnTheWire() {
        return this == USER_AGENT || this == SERVER_INTERNAL;
    }
}
