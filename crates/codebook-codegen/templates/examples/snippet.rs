{% if let Some(code) = code -%}
// `{{ names.module }}`: the module codebook::include_codes! expands at your crate's root.
use crate::{{ names.module }}::{{ names.type_name }};
use codebook::{Action, AnyCode};

// `code` is the number the server sent.
if {{ names.type_name }}::from_code(code) == Some({{ names.type_name }}::{{ code.names.variant }}) {
    // {{ code.number }} {% if let Some(text) = code.message.fixed() %}{{ text|quoted }}{% else %}{{ code.names.variant }}{% endif %}
}

// Any number, including codes newer than this build, classifies by its range.
let any = AnyCode::<{{ names.type_name }}>::from_code(code);
if any.behaviour().{{ kind.rust_check }}() {
    // {{ kind.yes }}
} else {
    // {{ kind.no }}
}

// What to do next: for {{ code.number }}, Action::{{ rust_action }}.
if any.action() == Action::{{ rust_action }} {
    if let Some(hint) = any.backoff() {
        // Sleep hint.delay_ms(attempt, elapsed_ms, codebook::random_u32()) ms; None: give up.
    }
}
{% else -%}
// `{{ names.module }}`: the module codebook::include_codes! expands at your crate's root.
use crate::{{ names.module }}::{{ names.type_name }};

let class = {{ names.type_name }}::classify({{ number }});
assert_eq!(class.known, None); // not registered: its range decides
if class.behaviour.{{ kind.rust_check }}() {
    // {{ kind.yes }}
} else {
    // {{ kind.no }}
}
{% endif -%}
