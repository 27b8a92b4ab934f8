package dev.codebook.codes;

import java.util.List;
import java.util.Optional;

/** What every family's enum constants answer: a registered code and what the registry says about it. */
public interface Code {
    /**
     * Everything the registry says about the code.
     *
     * @return the code's entry
     */
    CodeInfo info();

    /**
     * The number.
     *
     * @return the code's number, 0 to 65535
     */
    default int code() {
        return info().code();
    }

    /**
     * The name in codes.yaml, e.g. {@code InvalidToken} (the constant is its upper-case form).
     *
     * @return the registry name
     */
    default String codeName() {
        return info().name();
    }

    /**
     * The exact message or close reason sent on the wire.
     *
     * @return the wire message
     */
    default String message() {
        return info().message();
    }

    /**
     * What the code means, as Markdown.
     *
     * @return the description
     */
    default String description() {
        return info().description();
    }

    /**
     * Typical causes, one line each.
     *
     * @return an unmodifiable list
     */
    default List<String> causes() {
        return info().causes();
    }

    /**
     * What a client does with the code.
     *
     * @return the behaviour
     */
    default Behaviour behaviour() {
        return info().behaviour();
    }

    /**
     * What a client should do next.
     *
     * @return the action
     */
    default Action action() {
        return info().action();
    }

    /**
     * How long to wait before trying again.
     *
     * @return the hint, present exactly when the action tries again
     */
    default Optional<BackoffHint> backoff() {
        return info().backoff();
    }

    /**
     * Who emits the code.
     *
     * @return the origin
     */
    default Origin origin() {
        return info().origin();
    }

    /**
     * What to use instead, when the code is deprecated.
     *
     * @return the advice, or empty
     */
    default Optional<String> deprecated() {
        return info().deprecated();
    }

    /**
     * The portal's stable URL of the code, usable as an RFC 9457 problem type.
     *
     * @return the URL
     */
    default String docUrl() {
        return info().docUrl();
    }
}
