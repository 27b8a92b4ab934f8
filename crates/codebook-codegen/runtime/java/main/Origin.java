package dev.codebook.codes;

/** Who emits a code. */
public enum Origin {
    /** Sent by the server. */
    SERVER("server"),
    /** Produced by a client library itself. */
    CLIENT_LIBRARY("client_library"),
    /** Reported locally by the browser or WebSocket stack; never sent in a close frame. */
    USER_AGENT("user_agent");

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
}
