package dev.codebook.codes;

/** What a client should do with a code. */
public enum Behaviour {
    /** Disconnect: the client should reconnect (with backoff). */
    RECONNECT("reconnect"),
    /** Disconnect: the client must not reconnect on its own. */
    TERMINAL("terminal"),
    /** Error: the command may succeed if retried later. */
    TEMPORARY("temporary"),
    /** Error: retrying the same command will fail the same way. */
    PERMANENT("permanent");

    private final String wire;

    Behaviour(String wire) {
        this.wire = wire;
    }

    /**
     * The lower-case word used in codes.yaml, JSON and every binding.
     *
     * @return the word, e.g. {@code "reconnect"}
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
     * Should the client reconnect (with backoff)?
     *
     * @return true for {@link #RECONNECT}
     */
    public boolean shouldReconnect() {
        return this == RECONNECT;
    }

    /**
     * Must the client not reconnect on its own?
     *
     * @return true for {@link #TERMINAL}
     */
    public boolean isTerminal() {
        return this == TERMINAL;
    }

    /**
     * May the command succeed if retried later?
     *
     * @return true for {@link #TEMPORARY}
     */
    public boolean isTemporary() {
        return this == TEMPORARY;
    }
}
