{{ header|safe }}/**
 * Typed error and disconnect codes generated from codes.yaml: one enum per family, with
 * classification of any number, backoff delays and close-code safety.
 *
 * <p>Java has no unsigned integers: every 32-bit unsigned quantity (backoff bounds, attempt numbers,
 * random draws) is a {@code long} checked to lie in 0..4294967295, and {@link {{ package }}.Mulberry32}
 * computes in {@code int}, whose wrapping arithmetic has the same bits as unsigned 32-bit arithmetic.
 */
package {{ package }};
