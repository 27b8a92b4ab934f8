{% extends "java/protocol_enum.java" %}
{%- block doc %}What a client should do with a code.{% endblock -%}
{%- block methods %}
    /**
     * Should the client reconnect (with backoff)?
     *
     * @return true for {@link #RECONNECT}
     */
    public boolean shouldReconnect() {
        return this == RECONNECT;
    }

    /**
     * Must the client not reconnect on its own?
     *
     * @return true for {@link #TERMINAL}
     */
    public boolean isTerminal() {
        return this == TERMINAL;
    }

    /**
     * May the command succeed if retried later?
     *
     * @return true for {@link #TEMPORARY}
     */
    public boolean isTemporary() {
        return this == TEMPORARY;
    }
{% endblock -%}
