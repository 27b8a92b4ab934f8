{{ header|safe }}package {{ package }};

/** {% block doc %}{% endblock %} */
public enum {{ type_name }} {
{% for member in members %}    /** {{ member.doc|doc_text }} */
    {{ member.name }}({{ member.spelling|string }}){% if loop.last %};{% else %},{% endif %}
{% endfor %}
    private final String wire;

    {{ type_name }}(String wire) {
        this.wire = wire;
    }

    /**
     * The lower-case word used in codes.yaml, JSON and every binding.
     *
     * @return the word, e.g. {@code "{{ example }}"}
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
{% block methods %}{% endblock %}}
