package dev.codebook.codes;

import java.util.Objects;
import java.util.Optional;

/**
 * What the code of an official SDK's event means: the family that answered (the SDK's own, or the
 * server's family the SDK passed the number on from) and the number's classification there.
 *
 * @param family the family that answered: the event's own, or the one its range rules hand the
 *     number to
 * @param classification what the number means in that family
 */
public record SdkEventAnswer(CodeFamily<?> family, Classification<?> classification) {
    /**
     * Checks that both parts are present.
     *
     * @param family the family that answered
     * @param classification what the number means in it
     */
    public SdkEventAnswer {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(classification, "classification");
    }

    /**
     * The number the event carried.
     *
     * @return from 0 to 65535
     */
    public int code() {
        return classification.code();
    }

    /**
     * Is the number a registered code of {@link #family()}?
     *
     * @return true when {@link #known()} is present
     */
    public boolean isKnown() {
        return classification.isKnown();
    }

    /**
     * The registered code, or empty for a number the family's ranges classify.
     *
     * @return the code as the family's enum constant, seen through what every family's codes share
     */
    public Optional<RegisteredCode> known() {
        return classification.known().map(RegisteredCode.class::cast);
    }

    /**
     * What a client does with the number.
     *
     * @return the behaviour
     */
    public Behaviour behaviour() {
        return classification.behaviour();
    }

    /**
     * What a client should do next.
     *
     * @return the action
     */
    public Action action() {
        return classification.action();
    }

    /**
     * How long to wait before trying again.
     *
     * @return present exactly when {@link #action()} tries again
     */
    public Optional<BackoffHint> backoff() {
        return classification.backoff();
    }
}
