package dev.codebook.codes;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What every family's enum constants answer: a registered code and what the registry says about
 * it. A family whose codes all send a fixed message implements {@link Code} ({@code String
 * message()}); a family where some code's message is built at run time implements
 * {@link VaryingCode} ({@code Optional<String> message()}).
 */
public interface RegisteredCode {
    /**
     * Everything the registry says about the code.
     *
     * @return the code's entry
     */
    CodeEntry info();

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

    /**
     * The HTTP status the server answers with when it returns the code as a transport error.
     *
     * @return the status, or empty when the registry does not say
     */
    default OptionalInt httpStatus() {
        return info().httpStatus();
    }

    /**
     * The gRPC status number (0-16) the server answers with when it returns the code as a
     * transport error.
     *
     * @return the status number, or empty when the registry does not say
     */
    default OptionalInt grpcStatus() {
        return info().grpcStatus();
    }

    /**
     * Every exact text that identifies the code on the wire: its fixed message, or the texts the
     * sender of a message built at run time is known to use.
     *
     * @return an unmodifiable list, empty when nothing is known of a varying message
     */
    default List<String> texts() {
        return info().texts();
    }
}
