package dev.codebook.codes;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How long to wait before trying again, and when to give up.
 *
 * <p>Java has no unsigned integers, so every 32-bit unsigned quantity of the protocol (the
 * bounds, the attempt number, the random draw) is held in a {@code long} and checked to lie in
 * {@code 0..4294967295}; all of them then fit a {@code long} exactly, and the doubling is bounded
 * before it is computed so it never overflows. The jittered delay is computed in {@code double}
 * (IEEE 754 binary64, strict since Java 17) with the same operations in the same order as the
 * Rust, TypeScript, Go and Python bindings, so a seeded draw gives the same delay everywhere.
 *
 * @param minMs delay of the first attempt, in milliseconds (0 to 4294967295; never zero in the
 *     registry, and 0 counts as 1)
 * @param maxMs the largest delay, in milliseconds (0 to 4294967295; below minMs it counts as minMs)
 * @param jitter how the delay is spread
 * @param giveUpAfterMs give up once this many milliseconds have passed since the first failure;
 *     empty: never
 */
public record BackoffHint(long minMs, long maxMs, Jitter jitter, OptionalLong giveUpAfterMs) {
    /** The largest 32-bit unsigned value, 4294967295. */
    public static final long U32_MAX = 0xFFFF_FFFFL;

    private static final double TWO_TO_THE_32 = 4294967296.0;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Checks the bounds.
     *
     * @param minMs delay of the first attempt, in milliseconds
     * @param maxMs the largest delay, in milliseconds
     * @param jitter how the delay is spread
     * @param giveUpAfterMs when to give up; empty: never
     * @throws IllegalArgumentException when a bound is not a 32-bit unsigned value
     */
    public BackoffHint {
        checkU32("minMs", minMs);
        checkU32("maxMs", maxMs);
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(giveUpAfterMs, "giveUpAfterMs");
        if (giveUpAfterMs.isPresent()) {
            checkU32("giveUpAfterMs", giveUpAfterMs.getAsLong());
        }
    }

    private static long checkU32(String what, long value) {
        if (value < 0 || value > U32_MAX) {
            throw new IllegalArgumentException(what + " must be from 0 to 4294967295, got " + value);
        }
        return value;
    }

    /**
     * A random 32-bit unsigned integer from the platform's cryptographic generator, for
     * {@link #delayMs(long, long, long)}.
     *
     * @return a value from 0 to 4294967295
     */
    public static long randomU32() {
        return Integer.toUnsignedLong(RANDOM.nextInt());
    }

    /**
     * The delay before attempt {@code attempt} (0 for the first retry), given the milliseconds
     * since the first failure and one random 32-bit unsigned integer ({@link #randomU32()}, or
     * {@link Mulberry32} in tests), or empty when it is time to give up. The random number is an
     * argument in every binding, never a hidden default, so the draw is visible where the delay is
     * taken. The result is an {@code Optional} so it chains with {@link Classification#backoff()}:
     * {@code classified.backoff().flatMap(hint -> hint.delayMs(attempt, elapsedMs, BackoffHint.randomU32()))}.
     *
     * <p>The formula every binding reproduces bit for bit: {@code low = max(minMs, 1)},
     * {@code cap = max(maxMs, low)}; without jitter the delay is
     * {@code min(cap, low * 2^min(attempt, 32))}; with full jitter
     * {@code high = min(cap, low * 2^min(attempt + 1, 32))} and the delay is
     * {@code low + floor(random / 2^32 * (high - low + 1))}, so even the first retry of a fleet is
     * spread over {@code [low, 2 * low]}. A negative {@code elapsedMs} (a clock stepped backwards)
     * counts as 0.
     *
     * @param attempt the attempt number, not negative; from 32 on every attempt shares the largest window
     * @param elapsedMs milliseconds since the first failure
     * @param random a random value from 0 to 4294967295
     * @return the delay in milliseconds, or empty when it is time to give up
     * @throws IllegalArgumentException when {@code attempt} is negative or {@code random} is out of range
     */
    public Optional<Long> delayMs(long attempt, long elapsedMs, long random) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, got " + attempt);
        }
        checkU32("random", random);
        if (giveUpAfterMs.isPresent() && Math.max(elapsedMs, 0) >= giveUpAfterMs.getAsLong()) {
            return Optional.empty();
        }
        long low = Math.max(minMs, 1);
        long cap = Math.max(maxMs, low);
        if (jitter == Jitter.NONE) {
            return Optional.of(doubled(low, cap, Math.min(attempt, 32)));
        }
        long high = doubled(low, cap, Math.min(attempt, 31) + 1);
        double span = (double) (high - low) + 1.0;
        return Optional.of(low + (long) Math.floor((double) random / TWO_TO_THE_32 * span));
    }

    /**
     * {@code min(cap, low * 2^exponent)} for {@code exponent <= 32} without overflow:
     * {@code low << exponent <= cap} exactly when {@code low <= cap >>> exponent}; tested first, the
     * shift never leaves the 32-bit range, so the signed long cannot overflow.
     */
    private static long doubled(long low, long cap, long exponent) {
        int shift = (int) exponent;
        return low <= (cap >>> shift) ? low << shift : cap;
    }
}
