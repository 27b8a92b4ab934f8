package dev.codebook.codes;

/** How a delay grows between attempts (see {@link BackoffHint#delayMs(long, long, long)}). */
public enum Jitter {
    /** A uniformly random delay between the minimum and the exponential ceiling. */
    FULL("full"),
    /** Exactly the exponential ceiling. */
    NONE("none");

    private final String wire;

    Jitter(String wire) {
        this.wire = wire;
    }

    /**
     * The lower-case word used in codes.yaml, JSON and every binding.
     *
     * @return the word, {@code "full"} or {@code "none"}
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
