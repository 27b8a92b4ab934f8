package dev.codebook.codes;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the registry says about one registered code of a family whose codes all send a
 * fixed message.
 *
 * @param code the number
 * @param name the name in codes.yaml, e.g. {@code InvalidToken}
 * @param message the exact message or close reason sent on the wire
 * @param description what the code means, as Markdown
 * @param causes typical causes, one line each
 * @param behaviour what a client does with it
 * @param localOnly reported locally by an endpoint and never sent in a close frame (RFC 6455, section 7.4.1)
 * @param action what a client should do next
 * @param backoff how long to wait; present exactly when the action tries again
 * @param origin who emits the code
 * @param since the version that introduced the code, if the registry says
 * @param deprecated what to use instead, when the code is deprecated
 * @param changes the code's history, oldest first
 * @param docUrl the portal's stable URL of the code, usable as an RFC 9457 problem type
 * @param httpStatus the HTTP status the server answers with when it returns the code as a
 *     transport error, if the registry says
 * @param grpcStatus the gRPC status number (0-16) it answers with then, if the registry says
 */
public record CodeInfo(
        int code,
        String name,
        String message,
        String description,
        List<String> causes,
        Behaviour behaviour,
        boolean localOnly,
        Action action,
        Optional<BackoffHint> backoff,
        Origin origin,
        Optional<String> since,
        Optional<String> deprecated,
        List<Change> changes,
        String docUrl,
        OptionalInt httpStatus,
        OptionalInt grpcStatus) implements CodeEntry {
    /**
     * Copies the lists, so the record stays unmodifiable.
     *
     * @param code the number
     * @param name the name in codes.yaml
     * @param message the exact wire message
     * @param description what the code means, as Markdown
     * @param causes typical causes
     * @param behaviour what a client does with it
     * @param localOnly never sent in a close frame
     * @param action what a client should do next
     * @param backoff how long to wait
     * @param origin who emits the code
     * @param since the version that introduced the code
     * @param deprecated what to use instead
     * @param changes the code's history
     * @param docUrl the portal's stable URL of the code
     * @param httpStatus the HTTP status as a transport error
     * @param grpcStatus the gRPC status number as a transport error
     */
    public CodeInfo {
        causes = List.copyOf(causes);
        changes = List.copyOf(changes);
    }

    /**
     * The one text that identifies the code on the wire.
     *
     * @return a list of the message
     */
    @Override
    public List<String> texts() {
        return List.of(message);
    }
}
