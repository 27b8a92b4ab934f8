package dev.codebook.codes;

import java.util.Objects;
import java.util.Optional;

/**
 * What any number means in a family: a registered code ({@code known} present) or an
 * unregistered number (e.g. from a newer server), both with the segment, the behaviour, the
 * action and the backoff hint to act on.
 *
 * @param <C> the family's enum
 * @param code the number
 * @param known the registered code, or empty for an unregistered number
 * @param segment the segment the number falls in (for a registered code, what its range says)
 * @param behaviour what a client does with it
 * @param action what a client should do next
 * @param backoff how long to wait; present exactly when the action tries again
 */
public record Classification<C extends Enum<C> & RegisteredCode>(
        int code, Optional<C> known, Segment segment, Behaviour behaviour, Action action, Optional<BackoffHint> backoff) {
    /**
     * Checks that every part is present.
     *
     * @param code the number
     * @param known the registered code, or empty
     * @param segment the segment the number falls in
     * @param behaviour what a client does with it
     * @param action what a client should do next
     * @param backoff how long to wait
     */
    public Classification {
        Objects.requireNonNull(known, "known");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Is the number a registered code of the family?
     *
     * @return true when {@link #known()} is present
     */
    public boolean isKnown() {
        return known.isPresent();
    }
}
