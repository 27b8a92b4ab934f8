package dev.codebook.codes;

import java.util.Objects;

/**
 * One entry of a code's history.
 *
 * @param version the version the change belongs to
 * @param note what changed
 */
public record Change(String version, String note) {
    /**
     * Checks that both parts are present.
     *
     * @param version the version the change belongs to
     * @param note what changed
     */
    public Change {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(note, "note");
    }
}
