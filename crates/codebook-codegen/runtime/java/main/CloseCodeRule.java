package dev.codebook.codes;

import java.util.Objects;

/**
 * What a run of close codes may be used for.
 *
 * @param from the first code of the run
 * @param to the last code of the run, inclusive
 * @param label what the run is
 * @param endpointMaySend a server or other endpoint may send it in a close frame
 * @param browserMaySend a browser's {@code WebSocket.close(code)} accepts it; anything else throws
 * @param neverOnWire it must never appear in a close frame (reported locally only, or not a close code at all)
 * @param endpointForwards what an endpoint sends instead when it may not send the code itself
 * @param browserForwards what a browser passes to {@code close()} instead when it may not send the code itself
 */
public record CloseCodeRule(
        int from,
        int to,
        String label,
        boolean endpointMaySend,
        boolean browserMaySend,
        boolean neverOnWire,
        int endpointForwards,
        int browserForwards) {
    /**
     * Checks that the label is present.
     *
     * @param from the first code of the run
     * @param to the last code of the run
     * @param label what the run is
     * @param endpointMaySend an endpoint may send it
     * @param browserMaySend a browser may send it
     * @param neverOnWire it never travels in a close frame
     * @param endpointForwards what an endpoint sends instead
     * @param browserForwards what a browser sends instead
     */
    public CloseCodeRule {
        Objects.requireNonNull(label, "label");
    }
}
