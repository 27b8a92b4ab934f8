{% extends "java/protocol_enum.java" %}
{%- block doc %}How a delay grows between attempts (see {@link BackoffHint#delayMs(long, long, long)}).{% endblock -%}
