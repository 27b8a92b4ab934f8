{{ header|safe }}package {{ package }};

import java.util.LinkedHashMap;
import java.util.Map;

/** Every family of the registry, for code that is generic over families. */
public final class Families {
    /** Every family by its id in codes.yaml, in file order. */
    public static final Map<String, CodeFamily<?>> ALL = all();

    private Families() {}

    private static Map<String, CodeFamily<?>> all() {
        Map<String, CodeFamily<?>> all = new LinkedHashMap<>();
{% for family in families %}        all.put({{ family.id|string }}, {{ family.names.type_name }}.family());
{% endfor %}        return java.util.Collections.unmodifiableMap(all);
    }
}
