package dev.codebook.codes;

import java.util.Objects;
import java.util.Optional;

/**
 * A run of numbers that classify the same way when they are not registered.
 *
 * @param from the first number of the run
 * @param to the last number of the run, inclusive
 * @param scope who the numbers belong to
 * @param behaviour what a client does with an unregistered number of the run
 * @param action what to do next with an unregistered number of the run
 * @param backoff how long to wait; present exactly when the action tries again
 * @param label the range rule's label
 */
public record Segment(
        int from, int to, Scope scope, Behaviour behaviour, Action action, Optional<BackoffHint> backoff, String label) {
    /**
     * Checks that every part is present.
     *
     * @param from the first number of the run
     * @param to the last number of the run, inclusive
     * @param scope who the numbers belong to
     * @param behaviour what a client does with an unregistered number of the run
     * @param action what to do next with an unregistered number of the run
     * @param backoff how long to wait; present exactly when the action tries again
     * @param label the range rule's label
     */
    public Segment {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(label, "label");
    }
}
