{{ header|safe }}package {{ package }};

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Helpers that take what centrifuge-java hands to its event listeners and say what the code means
 * and what to do, without a dependency on the SDK: pass {@code event.getCode()} and
 * {@code event.getReason()} of a {@code ConnectingEvent}, {@code DisconnectedEvent},
 * {@code SubscribingEvent} or {@code UnsubscribedEvent}. Each SDK event has one family in
 * codes.yaml; numbers its range rules give to another family, such as the server's disconnect
 * codes in a {@code connecting} event, are classified there.
 *
 * <p>The reason never changes the answer. centrifuge-js reconnects after a close code from 4500
 * to 4999 when the close reason is empty; codebook reads the code alone, as the server means it,
 * and answers stop.
 */
public final class SdkEvents {
{% for event in events %}    private static final SdkEventTable {{ event.event }}Table = new SdkEventTable({{ event.own_type }}.family(), List.of({% for hand in event.hand_off %}{% if !loop.first %},{% endif %}
            new SdkEventTable.HandOff({{ hand.from }}, {{ hand.to }}, {{ hand.family_type }}.family()){% endfor %}));
{% endfor %}
    /**
     * Every helper by the event's name as the SDKs spell it ({@code "connecting"}), for code that is
     * generic over events.
     */
    public static final Map<String, BiFunction<Long, String, Optional<SdkEventAnswer>>> BY_EVENT = byEvent();

    private SdkEvents() {}

    private static Map<String, BiFunction<Long, String, Optional<SdkEventAnswer>>> byEvent() {
        Map<String, BiFunction<Long, String, Optional<SdkEventAnswer>>> all = new LinkedHashMap<>();
{% for event in events %}        all.put({{ event.event|string }}, SdkEvents::classify{{ event.upper }}Event);
{% endfor %}        return java.util.Collections.unmodifiableMap(all);
    }
{% for event in events %}
    /**
     * What the code of a {@code {{ event.event }}} event means, e.g. in
     * {@code on{{ event.upper }}(..., {{ event.upper }}Event event)}: a code of family
     * {@code {{ event.own_id }}}{% if !event.hand_off.is_empty() %}, or of the family its range rules hand the
     * number to{% endif %}.
{% if !event.differences.is_empty() %}     *
     * <p>{% for line in event.differences %}{% if !loop.first %}
     * {% endif %}{{ line|safe }}{% endfor %}
{% endif %}     *
     * @param code the event's {@code getCode()}
     * @param reason the event's {@code getReason()}; it does not change the answer (see the class
     *     comment), and may be null
     * @return empty when the number is no code at all (negative, or above 65535)
     */
    public static Optional<SdkEventAnswer> classify{{ event.upper }}Event(long code, String reason) {
        return {{ event.event }}Table.classify(code);
    }
{% endfor %}{% if let Some(error) = error_family %}
    /**
     * What the code of a server's error reply means, in family {@code {{ error.id }}}.
     *
     * @param code the reply's code (centrifuge-java's {@code ReplyError.getCode()})
     * @return empty when the number is no code at all (negative, or above 65535)
     */
    public static Optional<SdkEventAnswer> classifyErrorReply(long code) {
        if (code < 0 || code > 65535) {
            return Optional.empty();
        }
        return Optional.of(new SdkEventAnswer({{ error.names.type_name }}.family(), {{ error.names.type_name }}.family().classify((int) code)));
    }

    /**
     * What the server's error reply an SDK error holds means, found by
     * {@link SdkErrorCodes#errorCodeOf(Object)}: pass a {@code ReplyError} a call failed with, a
     * {@code SubscriptionErrorEvent} or an {@code ErrorEvent} as they are.
     *
     * @param error an error or an event holding one
     * @return empty when it holds no code, or a number that is no code
     */
    public static Optional<SdkEventAnswer> classifyError(Object error) {
        return SdkErrorCodes.errorCodeOf(error).stream().boxed().findFirst().flatMap(SdkEvents::classifyErrorReply);
    }
{% endif %}}
