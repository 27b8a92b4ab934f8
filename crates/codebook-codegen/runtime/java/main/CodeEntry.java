package dev.codebook.codes;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the registry says about any registered code, apart from its message: a {@link CodeInfo}
 * (the message is a fixed {@code String}) or a {@link VaryingCodeInfo} (the message may be built
 * at run time).
 */
public sealed interface CodeEntry permits CodeInfo, VaryingCodeInfo {
    /**
     * The number.
     *
     * @return 0 to 65535
     */
    int code();

    /**
     * The name in codes.yaml.
     *
     * @return a name such as {@code InvalidToken}
     */
    String name();

    /**
     * What the code means.
     *
     * @return Markdown
     */
    String description();

    /**
     * Typical causes.
     *
     * @return one line each
     */
    List<String> causes();

    /**
     * What a client does with the code.
     *
     * @return the behaviour
     */
    Behaviour behaviour();

    /**
     * Reported locally by an endpoint and never sent in a close frame (RFC 6455, section 7.4.1).
     *
     * @return true for a local-only code
     */
    boolean localOnly();

    /**
     * What a client should do next.
     *
     * @return the action
     */
    Action action();

    /**
     * How long to wait.
     *
     * @return the hint, present exactly when the action tries again
     */
    Optional<BackoffHint> backoff();

    /**
     * Who emits the code.
     *
     * @return the origin
     */
    Origin origin();

    /**
     * The version that introduced the code.
     *
     * @return the version, if the registry says
     */
    Optional<String> since();

    /**
     * What to use instead, when the code is deprecated.
     *
     * @return the advice, or empty
     */
    Optional<String> deprecated();

    /**
     * The code's history.
     *
     * @return oldest first
     */
    List<Change> changes();

    /**
     * The portal's stable URL of the code, usable as an RFC 9457 problem type.
     *
     * @return the URL
     */
    String docUrl();

    /**
     * The HTTP status the server answers with when it returns the code as a transport error.
     *
     * @return the status, or empty when the registry does not say
     */
    OptionalInt httpStatus();

    /**
     * The gRPC status number (0-16, {@code io.grpc.Status.Code#value()}) the server answers with
     * when it returns the code as a transport error.
     *
     * @return the status number, or empty when the registry does not say
     */
    OptionalInt grpcStatus();

    /**
     * Every exact text that identifies the code on the wire: its fixed message, or the texts the
     * sender of a message built at run time is known to use.
     *
     * @return an unmodifiable list
     */
    List<String> texts();
}
