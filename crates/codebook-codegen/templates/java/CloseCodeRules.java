{{ header|safe }}package {{ package }};

import java.util.List;

/** The close-code table of the protocol crate: sorted runs covering 0 to 65535. */
final class CloseCodeRules {
    static final int MAX_CLOSE_REASON_BYTES = {{ max_close_reason_bytes }};

    static final List<CloseCodeRule> ALL = List.of(
{% for rule in rules %}            new CloseCodeRule({{ rule.from }}, {{ rule.to }}, {{ rule.label|string }}, {{ rule.endpoint_may_send }}, {{ rule.browser_may_send }}, {{ rule.never_on_wire }}, {{ rule.endpoint_forwards }}, {{ rule.browser_forwards }}){% if !loop.last %},
{% endif %}{% endfor %});

    private CloseCodeRules() {}
}
