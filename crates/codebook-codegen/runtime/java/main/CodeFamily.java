package dev.codebook.codes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One family as a value: its codes, its segments and the lookups over them.
 *
 * @param <C> the family's enum
 */
public final class CodeFamily<C extends Enum<C> & RegisteredCode> {
    private final String id;
    private final String title;
    private final String kind;
    private final BackoffHint backoff;
    private final Class<C> type;
    private final List<C> codes;
    private final List<Segment> segments;
    private final Map<Integer, C> byNumber;
    private final Map<String, C> byText;

    /**
     * A family over an enum whose constants are its registered codes.
     *
     * @param id the family id in codes.yaml
     * @param title the family's title
     * @param kind {@code websocket_close} or {@code error}
     * @param backoff the hint of the family's codes and ranges that try again, unless a code states its own
     * @param type the family's enum
     * @param segments sorted runs covering 0 to 65535
     * @param messages every text a lookup by message resolves and the number of the code it finds
     *     (the lowest number when codes share a text), as the model lists them
     */
    public CodeFamily(String id, String title, String kind, BackoffHint backoff, Class<C> type, List<Segment> segments, Map<String, Integer> messages) {
        this.id = Objects.requireNonNull(id, "id");
        this.title = Objects.requireNonNull(title, "title");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.type = Objects.requireNonNull(type, "type");
        this.codes = List.of(type.getEnumConstants());
        this.segments = List.copyOf(segments);
        this.byNumber = codes.stream().collect(Collectors.toUnmodifiableMap(RegisteredCode::code, Function.identity()));
        Map<String, C> texts = new HashMap<>();
        for (Map.Entry<String, Integer> message : messages.entrySet()) {
            C found = byNumber.get(message.getValue());
            if (found == null) {
                throw new IllegalArgumentException("the message lookup of " + id + " names " + message.getValue() + ", which is not a code of it");
            }
            texts.put(message.getKey(), found);
        }
        this.byText = Map.copyOf(texts);
        if (this.segments.isEmpty() || this.segments.get(0).from() != 0 || this.segments.get(this.segments.size() - 1).to() != 65535) {
            throw new IllegalArgumentException("the segments of " + id + " must cover 0 to 65535");
        }
    }

    /**
     * The family id in codes.yaml.
     *
     * @return the id, as codes.yaml spells it
     */
    public String id() {
        return id;
    }

    /**
     * The family's title.
     *
     * @return the title
     */
    public String title() {
        return title;
    }

    /**
     * The family's kind.
     *
     * @return {@code websocket_close} or {@code error}
     */
    public String kind() {
        return kind;
    }

    /**
     * The hint of the family's codes and ranges that try again, unless a code states its own.
     *
     * @return the family's hint
     */
    public BackoffHint backoff() {
        return backoff;
    }

    /**
     * The family's enum.
     *
     * @return its class
     */
    public Class<C> type() {
        return type;
    }

    /**
     * Every registered code, sorted by number.
     *
     * @return an unmodifiable list
     */
    public List<C> codes() {
        return codes;
    }

    /**
     * How unregistered numbers classify: sorted runs covering 0 to 65535.
     *
     * @return an unmodifiable list
     */
    public List<Segment> segments() {
        return segments;
    }

    /**
     * {@code code} itself when it is a code number.
     *
     * @param code any int
     * @return the same int
     * @throws IllegalArgumentException when it is not from 0 to 65535
     */
    public static int checkCodeNumber(int code) {
        if (code < 0 || code > 65535) {
            throw new IllegalArgumentException("a code number must be from 0 to 65535, got " + code);
        }
        return code;
    }

    /**
     * The segment covering a number.
     *
     * @param code a number from 0 to 65535
     * @return its segment
     * @throws IllegalArgumentException when the number is out of range
     */
    public Segment segmentOf(int code) {
        checkCodeNumber(code);
        int low = 0;
        int high = segments.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (segments.get(middle).from() <= code) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return segments.get(low);
    }

    /**
     * The registered code with this number.
     *
     * @param code a number from 0 to 65535
     * @return the code, or empty for an unregistered number
     * @throws IllegalArgumentException when the number is out of range
     */
    public Optional<C> fromCode(int code) {
        return Optional.ofNullable(byNumber.get(checkCodeNumber(code)));
    }

    /**
     * The registered code with this name as in codes.yaml.
     *
     * @param name a name such as {@code InvalidToken}
     * @return the code, or empty
     */
    public Optional<C> fromName(String name) {
        return codes.stream().filter(c -> c.codeName().equals(name)).findFirst();
    }

    /**
     * The registered code sent with this exact wire message, or with this known text of a message
     * built at run time (the lowest number if several share it).
     *
     * @param message a wire message
     * @return the code, or empty
     */
    public Optional<C> fromMessage(String message) {
        return Optional.ofNullable(byText.get(message));
    }

    /**
     * Classifies any number: a registered code by its own entry, anything else by the family's
     * range rules, so a code from a newer server is still handled.
     *
     * @param code a number from 0 to 65535
     * @return its classification
     * @throws IllegalArgumentException when the number is out of range
     */
    public Classification<C> classify(int code) {
        Segment segment = segmentOf(code);
        C known = byNumber.get(code);
        if (known == null) {
            return new Classification<C>(code, Optional.empty(), segment, segment.behaviour(), segment.action(), segment.backoff());
        }
        return new Classification<C>(code, Optional.of(known), segment, known.behaviour(), known.action(), known.backoff());
    }

    @Override
    public String toString() {
        return "CodeFamily[" + id + "]";
    }
}
