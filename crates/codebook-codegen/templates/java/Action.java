{{ header|safe }}package {{ package }};

import java.util.Optional;

/** What a client should do next, beyond "reconnect or not": the closed set every binding shares. */
public enum Action {
{% for action in actions %}    /**
{{ action.advice()|doc_text|doc("    ", "") }}     */
    {{ action.as_str().to_uppercase() }}({{ action.as_str()|string }}, {{ action.advice()|string }}, {{ action.tries_again() }}){% if loop.last %};{% else %},{% endif %}
{% endfor %}
    private final String wire;
    private final String advice;
    private final boolean triesAgain;

    Action(String wire, String advice, boolean triesAgain) {
        this.wire = wire;
        this.advice = advice;
        this.triesAgain = triesAgain;
    }

    /**
     * The spelling used in codes.yaml and every binding.
     *
     * @return the word, e.g. {@code "reconnect_after_backoff"}
     */
    public String wire() {
        return wire;
    }

    /**
     * The wire spelling, as every binding prints it.
     *
     * @return the same as {@link #wire()}
     */
    @Override
    public String toString() {
        return wire;
    }

    /**
     * The action in plain words, for a user interface or a log line.
     *
     * @return one sentence
     */
    public String advice() {
        return advice;
    }

    /**
     * Does a client with this action try again (and so wait for a backoff delay)?
     *
     * @return true when the action tries again
     */
    public boolean triesAgain() {
        return triesAgain;
    }

    /**
     * The action with this spelling.
     *
     * @param wire a word such as {@code "stop"}
     * @return the action, or empty
     */
    public static Optional<Action> fromWire(String wire) {
        for (Action action : values()) {
            if (action.wire.equals(wire)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
