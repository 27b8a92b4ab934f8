{% if let Some(code) = code -%}
from {{ python_package }}.{{ names.module }} import {{ names.type_name }}, classify

# `code` is the number the server sent.
if code == {{ names.type_name }}.{{ code.names.screaming }}:
    pass  # {{ code.number }} {% if let Some(text) = code.message.fixed() %}{{ text|quoted }}{% else %}{{ code.names.variant }}{% endif %}

# Any number, including codes newer than this build, classifies by its range.
classified = classify(code)
{% else -%}
from {{ python_package }}.{{ names.module }} import classify

classified = classify({{ number }})  # classified.member is None: its range decides
{% endif -%}
if classified.behaviour.{{ kind.rust_check }}:
    pass  # {{ kind.yes }}
else:
    pass  # {{ kind.no }}
