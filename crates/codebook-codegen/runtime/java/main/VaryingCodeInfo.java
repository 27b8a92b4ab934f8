package dev.codebook.codes;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the registry says about one registered code of a family where some code's message is
 * built at run time by its sender.
 *
 * @param code the number
 * @param name the name in codes.yaml, e.g. {@code InvalidToken}
 * @param message the exact message sent on the wire, or empty when the sender builds it at run time
 * @param messageVaries what the sender puts in a text it builds at run time, in words; empty for a fixed message
 * @param knownMessages exact texts the sender is known to use for a message built at run time
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
public record VaryingCodeInfo(
        int code,
        String name,
        Optional<String> message,
        Optional<String> messageVaries,
        List<String> knownMessages,
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
     * Copies the lists, so the record stays unmodifiable, and checks that a message is either
     * fixed or varies.
     *
     * @param code the number
     * @param name the name in codes.yaml
     * @param message the exact wire message, or empty
     * @param messageVaries what a text built at run time holds, or empty
     * @param knownMessages known texts of a message built at run time
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
    public VaryingCodeInfo {
        if (message.isPresent() == messageVaries.isPresent()) {
            throw new IllegalArgumentException("code " + code + " needs exactly one of a fixed message and messageVaries");
        }
        knownMessages = List.copyOf(knownMessages);
        if (message.isPresent() && !knownMessages.isEmpty()) {
            throw new IllegalArgumentException("code " + code + " has a fixed message, so it has no known texts");
        }
        causes = List.copyOf(causes);
        changes = List.copyOf(changes);
    }

    /**
     * Every exact text that identifies the code on the wire: the fixed message, or the known texts.
     *
     * @return an unmodifiable list
     */
    @Override
    public List<String> texts() {
        return message.map(List::of).orElse(knownMessages);
    }
}
