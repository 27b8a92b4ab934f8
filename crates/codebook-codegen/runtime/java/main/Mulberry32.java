package dev.codebook.codes;

/**
 * Mulberry32, a tiny seeded 32-bit generator: the random source of the shared test vectors. Never
 * use it for real delays: a fleet seeded alike would reconnect in lockstep.
 *
 * <p>The state is a Java {@code int}: its addition and multiplication wrap modulo 2^32 exactly as
 * unsigned 32-bit arithmetic does (two's complement has the same bits), {@code >>>} shifts in
 * zeros like an unsigned shift, and each output is widened with
 * {@link Integer#toUnsignedLong(int)}.
 */
public final class Mulberry32 {
    private int state;

    /**
     * A generator starting from {@code seed}.
     *
     * @param seed a value from 0 to 4294967295
     * @throws IllegalArgumentException when the seed is out of range
     */
    public Mulberry32(long seed) {
        if (seed < 0 || seed > BackoffHint.U32_MAX) {
            throw new IllegalArgumentException("seed must be from 0 to 4294967295, got " + seed);
        }
        this.state = (int) seed;
    }

    /**
     * The next 32-bit unsigned integer.
     *
     * @return a value from 0 to 4294967295
     */
    public long nextU32() {
        state += 0x6D2B79F5;
        int t = state;
        t = (t ^ (t >>> 15)) * (t | 1);
        t ^= t + (t ^ (t >>> 7)) * (t | 61);
        return Integer.toUnsignedLong(t ^ (t >>> 14));
    }
}
