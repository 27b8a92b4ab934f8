{% if let Some(code) = code -%}
import { {{ names.type_name }}, {{ names.lower_camel }}{{ kind.predicate }} } from {{ npm_name|string }};

// `code` is the number the server sent.
if (code === {{ names.type_name }}.{{ code.names.variant }}) {
  // {{ code.number }} {% if let Some(text) = code.message.fixed() %}{{ text|quoted }}{% else %}{{ code.names.variant }}{% endif %}
}

// Any number, including codes newer than this build, classifies by its range.
{% else -%}
import { classify{{ names.type_name }}, {{ names.lower_camel }}{{ kind.predicate }} } from {{ npm_name|string }};

const code = {{ number }};
const { known, behaviour } = classify{{ names.type_name }}(code); // known is false: its range decides
{% endif -%}
if ({{ names.lower_camel }}{{ kind.predicate }}(code)) {
  // {{ kind.yes }}
} else {
  // {{ kind.no }}
}
