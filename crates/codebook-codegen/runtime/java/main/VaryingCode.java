package dev.codebook.codes;

import java.util.List;
import java.util.Optional;

/**
 * What the enum constants of a family where some code's message is built at run time answer: the
 * message is present when it is fixed; otherwise {@link #messageVaries()} says in words what the
 * sender puts in it and {@link #knownMessages()} lists the exact texts it is known to use. The
 * constants' {@code toString()} is their name, never a made-up text.
 */
public interface VaryingCode extends RegisteredCode {
    /**
     * Everything the registry says about the code.
     *
     * @return the code's entry
     */
    @Override
    VaryingCodeInfo info();

    /**
     * The exact message sent on the wire.
     *
     * @return the wire message, or empty when the sender builds it at run time
     */
    default Optional<String> message() {
        return info().message();
    }

    /**
     * What the sender puts in the text it builds at run time, in words (never a wire string).
     *
     * @return the description, or empty for a fixed message
     */
    default Optional<String> messageVaries() {
        return info().messageVaries();
    }

    /**
     * The exact texts the sender is known to use for a message built at run time.
     *
     * @return an unmodifiable list, empty for a fixed message or when none is known
     */
    default List<String> knownMessages() {
        return info().knownMessages();
    }
}
