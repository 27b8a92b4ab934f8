{% if let Some(code) = code -%}
import {{ java_package }}.Classification;
import {{ java_package }}.{{ names.type_name }};

// `code` is the number the server sent.
if ({{ names.type_name }}.fromCode(code).equals(java.util.Optional.of({{ names.type_name }}.{{ code.names.screaming }}))) {
    // {{ code.number }} {% if let Some(text) = code.message.fixed() %}{{ text|java_quoted }}{% else %}{{ code.names.variant }}{% endif %}
}

// Any number, including codes newer than this build, classifies by its range.
Classification<{{ names.type_name }}> classified = {{ names.type_name }}.classify(code);
{% else -%}
import {{ java_package }}.Classification;
import {{ java_package }}.{{ names.type_name }};

Classification<{{ names.type_name }}> classified = {{ names.type_name }}.classify({{ number }}); // known() is empty: its range decides
{% endif -%}
if (classified.behaviour().{{ kind.java_check }}()) {
    // {{ kind.yes }}
} else {
    // {{ kind.no }}
}
