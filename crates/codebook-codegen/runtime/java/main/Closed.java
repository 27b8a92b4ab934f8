package dev.codebook.codes;

import java.util.Objects;
import java.util.Optional;

/**
 * A classified close: the family's classification of the code plus what the close said.
 *
 * @param <C> the family's enum
 * @param classification the family's classification of the code
 * @param reason the reason, truncated to fit a close frame if it was longer
 * @param reasonTruncated the reason was longer than a close frame carries
 * @param wasClean the close handshake completed
 * @param localOnly the code did not come from the peer: reported locally (1005, 1006, 1015) or never on the wire
 */
public record Closed<C extends Enum<C> & RegisteredCode>(
        Classification<C> classification, String reason, boolean reasonTruncated, boolean wasClean, boolean localOnly) {
    /**
     * Checks that every part is present.
     *
     * @param classification the family's classification of the code
     * @param reason the reason
     * @param reasonTruncated the reason was truncated
     * @param wasClean the close handshake completed
     * @param localOnly the code did not come from the peer
     */
    public Closed {
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Classifies a close by a close-code family.
     *
     * @param <C> the family's enum
     * @param family a close-code family
     * @param code the close code, 0 to 65535
     * @param reason the close reason
     * @param wasClean the close handshake completed
     * @return the classified close
     */
    public static <C extends Enum<C> & RegisteredCode> Closed<C> of(CodeFamily<C> family, int code, String reason, boolean wasClean) {
        Classification<C> classification = family.classify(code);
        String truncated = CloseCodes.truncateCloseReason(reason);
        boolean localOnly = classification.known().map(known -> known.info().localOnly()).orElse(false)
                || CloseCodes.rule(code).neverOnWire();
        return new Closed<>(classification, truncated, !truncated.equals(reason), wasClean, localOnly);
    }

    /**
     * What a client should do next.
     *
     * @return the classification's action
     */
    public Action action() {
        return classification.action();
    }

    /**
     * How long to wait before trying again.
     *
     * @return the classification's hint, present exactly when the action tries again
     */
    public Optional<BackoffHint> backoff() {
        return classification.backoff();
    }
}
