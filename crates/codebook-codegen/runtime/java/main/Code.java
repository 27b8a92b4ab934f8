package dev.codebook.codes;

/**
 * What the enum constants of a family whose codes all send a fixed message answer: a registered
 * code, its exact wire message and what the registry says about it.
 */
public interface Code extends RegisteredCode {
    /**
     * Everything the registry says about the code.
     *
     * @return the code's entry
     */
    @Override
    CodeInfo info();

    /**
     * The exact message or close reason sent on the wire.
     *
     * @return the wire message
     */
    default String message() {
        return info().message();
    }
}
