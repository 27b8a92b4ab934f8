package dev.codebook.codes;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The numbers of one official SDK event: the event's own family, and the ranges of it that hold
 * another family's codes ({@code codes_of} in codes.yaml), such as the server's disconnect codes
 * a {@code connecting} event passes on. {@code SdkEvents} holds one per event.
 *
 * @param own the event's own family
 * @param handOff the ranges read in another family, sorted by {@code from}
 */
public record SdkEventTable(CodeFamily<?> own, List<HandOff> handOff) {
    /**
     * One range of the own family whose numbers are another family's codes.
     *
     * @param from the first number
     * @param to the last number
     * @param family the family the numbers are read in
     */
    public record HandOff(int from, int to, CodeFamily<?> family) {
        /**
         * Checks the range and the family.
         *
         * @param from the first number
         * @param to the last number
         * @param family the family the numbers are read in
         */
        public HandOff {
            CodeFamily.checkCodeNumber(from);
            CodeFamily.checkCodeNumber(to);
            Objects.requireNonNull(family, "family");
        }
    }

    /**
     * Copies the ranges.
     *
     * @param own the event's own family
     * @param handOff the ranges read in another family
     */
    public SdkEventTable {
        Objects.requireNonNull(own, "own");
        handOff = List.copyOf(handOff);
    }

    /**
     * Classifies an event's number in the own family, or, when the own family does not register
     * it and a range hands it on, in that range's family.
     *
     * @param code the number as the SDK reports it (centrifuge-java's {@code int getCode()} widens)
     * @return empty when the number is no code at all (negative, or above 65535: a number is never
     *     wrapped onto a code)
     */
    public Optional<SdkEventAnswer> classify(long code) {
        if (code < 0 || code > 65535) {
            return Optional.empty();
        }
        int number = (int) code;
        Classification<?> own = this.own.classify(number);
        if (!own.isKnown()) {
            for (HandOff range : handOff) {
                if (number >= range.from() && number <= range.to()) {
                    return Optional.of(new SdkEventAnswer(range.family(), range.family().classify(number)));
                }
            }
        }
        return Optional.of(new SdkEventAnswer(this.own, own));
    }
}
