package dev.codebook.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The shared conformance vectors (a copy in the test resources), asserted row by row, and every
 * number from 0 to 65535 of every family against the vectors' segment tables: this binding
 * answers exactly what the Rust, TypeScript, Go and Python bindings answer.
 */
class VectorsTest {
    private static final JsonObject VECTORS = load();

    private static JsonObject load() {
        try (InputStream in = VectorsTest.class.getResourceAsStream("/vectors.json")) {
            if (in == null) {
                throw new IllegalStateException("vectors.json is missing from the test resources");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Iterable<JsonObject> objects(JsonArray array) {
        List<JsonObject> list = new ArrayList<>();
        array.forEach(element -> list.add(element.getAsJsonObject()));
        return list;
    }

    private static Optional<String> optionalString(JsonElement element) {
        return element.isJsonNull() ? Optional.empty() : Optional.of(element.getAsString());
    }

    /** An optional number of a code row: absent (the row leaves it out) is empty. */
    private static OptionalInt optionalInt(JsonElement element) {
        return element == null || element.isJsonNull() ? OptionalInt.empty() : OptionalInt.of(element.getAsInt());
    }

    private static Optional<BackoffHint> hint(JsonElement element) {
        if (element.isJsonNull()) {
            return Optional.empty();
        }
        JsonObject row = element.getAsJsonObject();
        JsonElement giveUp = row.get("give_up_after_ms");
        return Optional.of(new BackoffHint(
                row.get("min_ms").getAsLong(),
                row.get("max_ms").getAsLong(),
                row.get("jitter").getAsString().equals("full") ? Jitter.FULL : Jitter.NONE,
                giveUp.isJsonNull() ? OptionalLong.empty() : OptionalLong.of(giveUp.getAsLong())));
    }

    private static List<String> strings(JsonArray array) {
        List<String> list = new ArrayList<>();
        array.forEach(element -> list.add(element.getAsString()));
        return list;
    }

    @Test
    void everyFamilyOfTheVectorsIsGenerated() {
        List<String> ids = new ArrayList<>();
        for (JsonObject row : objects(VECTORS.getAsJsonArray("families"))) {
            ids.add(row.get("id").getAsString());
        }
        assertEquals(ids.stream().sorted().toList(), Families.ALL.keySet().stream().sorted().toList());
    }

    @Test
    void registeredCodes() {
        for (JsonObject row : objects(VECTORS.getAsJsonArray("families"))) {
            registeredCodesOf(Families.ALL.get(row.get("id").getAsString()), row);
        }
    }

    private static <C extends Enum<C> & RegisteredCode> void registeredCodesOf(CodeFamily<C> family, JsonObject row) {
        assertEquals(row.get("kind").getAsString(), family.kind());
        assertEquals(hint(row.get("backoff")).orElseThrow(), family.backoff());
        JsonArray codes = row.getAsJsonArray("codes");
        assertEquals(codes.size(), family.codes().size());
        for (JsonObject code : objects(codes)) {
            int number = code.get("code").getAsInt();
            C member = family.fromCode(number).orElseThrow();
            String where = family.id() + " " + number;
            assertEquals(number, member.code(), where);
            assertEquals(code.get("name").getAsString(), member.codeName(), where);
            assertEquals(member, family.fromName(member.codeName()).orElseThrow(), where);
            if (member instanceof VaryingCode varying) {
                assertEquals(optionalString(code.get("message")), varying.message(), where);
                assertEquals(optionalString(code.get("message_varies")), varying.messageVaries(), where);
                assertEquals(strings(code.getAsJsonArray("known_messages")), varying.knownMessages(), where);
                assertEquals(member.name(), member.toString(), where + " toString shows the name, never a made-up text");
            } else {
                assertEquals(code.get("message").getAsString(), ((Code) member).message(), where);
                assertTrue(code.get("message_varies").isJsonNull(), where);
                assertEquals(List.of(), strings(code.getAsJsonArray("known_messages")), where);
            }
            assertEquals(code.get("description").getAsString(), member.description(), where);
            assertEquals(strings(code.getAsJsonArray("causes")), member.causes(), where);
            assertEquals(code.get("behaviour").getAsString(), member.behaviour().wire(), where);
            assertEquals(code.get("should_reconnect").getAsBoolean(), member.behaviour().shouldReconnect(), where);
            assertEquals(code.get("is_terminal").getAsBoolean(), member.behaviour().isTerminal(), where);
            assertEquals(code.get("is_temporary").getAsBoolean(), member.behaviour().isTemporary(), where);
            assertEquals(code.get("local_only").getAsBoolean(), member.info().localOnly(), where);
            assertEquals(code.get("action").getAsString(), member.action().wire(), where);
            assertEquals(hint(code.get("backoff")), member.backoff(), where);
            assertEquals(code.get("origin").getAsString(), member.origin().wire(), where);
            assertEquals(optionalString(code.get("since")), member.info().since(), where);
            assertEquals(optionalString(code.get("deprecated")), member.deprecated(), where);
            List<Change> changes = new ArrayList<>();
            for (JsonObject change : objects(code.getAsJsonArray("changes"))) {
                changes.add(new Change(change.get("version").getAsString(), change.get("note").getAsString()));
            }
            assertEquals(changes, member.info().changes(), where);
            assertEquals(code.get("doc_url").getAsString(), member.docUrl(), where);
            assertEquals(optionalInt(code.get("http_status")), member.httpStatus(), where);
            assertEquals(optionalInt(code.get("grpc_status")), member.grpcStatus(), where);
            boolean annotated;
            try {
                annotated = family.type().getField(member.name()).isAnnotationPresent(Deprecated.class);
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
            assertEquals(member.deprecated().isPresent(), annotated, where + " @Deprecated");
            Classification<C> classified = family.classify(number);
            assertEquals(Optional.of(member), classified.known(), where);
            assertEquals(member.behaviour(), classified.behaviour(), where);
            assertEquals(member.action(), classified.action(), where);
            assertEquals(member.backoff(), classified.backoff(), where);
        }
    }

    @Test
    void messageLookups() {
        for (JsonObject row : objects(VECTORS.getAsJsonArray("families"))) {
            CodeFamily<?> family = Families.ALL.get(row.get("id").getAsString());
            boolean varying = false;
            List<String> texts = new ArrayList<>();
            List<String> unused = new ArrayList<>(List.of("\u0000 no code sends this", ""));
            for (JsonObject code : objects(row.getAsJsonArray("codes"))) {
                if (code.get("message").isJsonNull()) {
                    varying = true;
                    unused.add(code.get("message_varies").getAsString());
                    for (String text : strings(code.getAsJsonArray("known_messages"))) {
                        if (!texts.contains(text)) {
                            texts.add(text);
                        }
                    }
                } else if (!texts.contains(code.get("message").getAsString())) {
                    texts.add(code.get("message").getAsString());
                }
            }
            assertEquals(varying, VaryingCode.class.isAssignableFrom(family.type()), family.id());
            assertEquals(!varying, Code.class.isAssignableFrom(family.type()), family.id());
            List<String> looked = new ArrayList<>();
            for (JsonObject lookup : objects(row.getAsJsonArray("message_lookups"))) {
                String text = lookup.get("message").getAsString();
                looked.add(text);
                Optional<Integer> found = family.fromMessage(text).map(RegisteredCode::code);
                assertEquals(Optional.of(lookup.get("code").getAsInt()), found, family.id() + " " + text);
            }
            assertEquals(texts.stream().sorted().toList(), looked.stream().sorted().toList(), family.id());
            for (String text : unused) {
                if (!texts.contains(text)) {
                    assertEquals(Optional.empty(), family.fromMessage(text), family.id() + " " + text);
                }
            }
        }
    }

    @Test
    void unregisteredNumbers() {
        for (JsonObject row : objects(VECTORS.getAsJsonArray("families"))) {
            CodeFamily<?> family = Families.ALL.get(row.get("id").getAsString());
            for (JsonObject sample : objects(row.getAsJsonArray("unregistered"))) {
                int number = sample.get("code").getAsInt();
                Classification<?> classified = family.classify(number);
                String where = family.id() + " " + number;
                assertFalse(classified.isKnown(), where);
                assertEquals(sample.get("behaviour").getAsString(), classified.behaviour().wire(), where);
                assertEquals(sample.get("scope").getAsString(), classified.segment().scope().wire(), where);
                assertEquals(sample.get("label").getAsString(), classified.segment().label(), where);
                assertEquals(sample.get("action").getAsString(), classified.action().wire(), where);
                assertEquals(hint(sample.get("backoff")), classified.backoff(), where);
            }
        }
    }

    @Test
    void everyNumberAgreesWithTheVectors() {
        for (JsonObject row : objects(VECTORS.getAsJsonArray("families"))) {
            CodeFamily<?> family = Families.ALL.get(row.get("id").getAsString());
            Map<Integer, JsonObject> codes = new HashMap<>();
            for (JsonObject code : objects(row.getAsJsonArray("codes"))) {
                codes.put(code.get("code").getAsInt(), code);
            }
            JsonArray segments = row.getAsJsonArray("segments");
            assertEquals(segments.size(), family.segments().size(), family.id());
            for (JsonObject segment : objects(segments)) {
                Optional<BackoffHint> expectedHint = hint(segment.get("backoff"));
                for (int number = segment.get("from").getAsInt(); number <= segment.get("to").getAsInt(); number++) {
                    Classification<?> classified = family.classify(number);
                    String where = family.id() + " " + number;
                    assertEquals(segment.get("label").getAsString(), classified.segment().label(), where);
                    JsonObject code = codes.get(number);
                    if (code == null) {
                        assertFalse(classified.isKnown(), where);
                        assertEquals(segment.get("behaviour").getAsString(), classified.behaviour().wire(), where);
                        assertEquals(segment.get("action").getAsString(), classified.action().wire(), where);
                        assertEquals(expectedHint, classified.backoff(), where);
                    } else {
                        assertTrue(classified.isKnown(), where);
                        assertEquals(code.get("behaviour").getAsString(), classified.behaviour().wire(), where);
                        assertEquals(code.get("action").getAsString(), classified.action().wire(), where);
                    }
                }
            }
        }
    }

    @Test
    void numbersOutsideTheCodeSpaceAreRefused() {
        for (CodeFamily<?> family : Families.ALL.values()) {
            for (int bad : new int[] {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> family.classify(bad));
                assertTrue(error.getMessage().contains("from 0 to 65535"), error.getMessage());
                assertThrows(IllegalArgumentException.class, () -> family.fromCode(bad));
            }
        }
    }

    @Test
    void actions() {
        JsonArray rows = VECTORS.getAsJsonArray("actions");
        assertEquals(rows.size(), Action.values().length);
        int index = 0;
        for (JsonObject row : objects(rows)) {
            Action action = Action.values()[index++];
            assertEquals(row.get("name").getAsString(), action.wire());
            assertEquals(row.get("advice").getAsString(), action.advice());
            assertEquals(row.get("tries_again").getAsBoolean(), action.triesAgain());
            assertEquals(Optional.of(action), Action.fromWire(action.wire()));
        }
    }

    @Test
    void closeCodeRulesAndSamples() {
        JsonObject vectors = VECTORS.getAsJsonObject("close_codes");
        assertEquals(vectors.get("max_reason_bytes").getAsInt(), CloseCodes.MAX_CLOSE_REASON_BYTES);
        List<CloseCodeRule> expected = new ArrayList<>();
        for (JsonObject rule : objects(vectors.getAsJsonArray("rules"))) {
            expected.add(new CloseCodeRule(
                    rule.get("from").getAsInt(),
                    rule.get("to").getAsInt(),
                    rule.get("label").getAsString(),
                    rule.get("endpoint_may_send").getAsBoolean(),
                    rule.get("browser_may_send").getAsBoolean(),
                    rule.get("never_on_wire").getAsBoolean(),
                    rule.get("endpoint_forwards").getAsInt(),
                    rule.get("browser_forwards").getAsInt()));
        }
        assertEquals(expected, CloseCodes.rules());
        for (JsonObject sample : objects(vectors.getAsJsonArray("samples"))) {
            int code = sample.get("code").getAsInt();
            CloseCodeRule rule = CloseCodes.rule(code);
            assertEquals(sample.get("label").getAsString(), rule.label());
            assertEquals(sample.get("never_on_wire").getAsBoolean(), rule.neverOnWire());
            assertEquals(sample.get("safe_for_endpoint").getAsInt(), CloseCodes.safeCloseCode(code, CloseSender.ENDPOINT));
            assertEquals(sample.get("safe_for_browser").getAsInt(), CloseCodes.safeCloseCode(code, CloseSender.BROWSER));
        }
    }

    @Test
    void truncation() {
        for (JsonObject row : objects(VECTORS.getAsJsonObject("close_codes").getAsJsonArray("truncation"))) {
            String reason = row.get("reason").getAsString();
            assertEquals(row.get("reason_bytes").getAsInt(), reason.getBytes(StandardCharsets.UTF_8).length);
            String truncated = CloseCodes.truncateCloseReason(reason);
            assertEquals(row.get("truncated").getAsString(), truncated);
            assertEquals(row.get("truncated_bytes").getAsInt(), truncated.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void mulberry32() {
        for (JsonObject row : objects(VECTORS.getAsJsonArray("mulberry32"))) {
            Mulberry32 random = new Mulberry32(row.get("seed").getAsLong());
            for (JsonElement output : row.getAsJsonArray("outputs")) {
                assertEquals(output.getAsLong(), random.nextU32());
            }
        }
    }

    @Test
    void delays() {
        for (JsonObject sequence : objects(VECTORS.getAsJsonArray("delays"))) {
            BackoffHint hint = hint(sequence.get("hint")).orElseThrow();
            Mulberry32 random = new Mulberry32(sequence.get("seed").getAsLong());
            for (JsonObject step : objects(sequence.getAsJsonArray("steps"))) {
                long drawn = random.nextU32();
                assertEquals(step.get("random").getAsLong(), drawn);
                JsonElement delay = step.get("delay_ms");
                Optional<Long> expected = delay.isJsonNull() ? Optional.empty() : Optional.of(delay.getAsLong());
                assertEquals(expected, hint.delayMs(step.get("attempt").getAsLong(), step.get("elapsed_ms").getAsLong(), drawn),
                        sequence.get("seed") + " " + step);
            }
        }
    }

    @Test
    void hostileDelays() {
        JsonArray calls = VECTORS.getAsJsonArray("hostile_delays");
        assertTrue(calls.size() > 100);
        for (JsonObject call : objects(calls)) {
            BackoffHint hint = hint(call.get("hint")).orElseThrow();
            JsonElement delay = call.get("delay_ms");
            Optional<Long> expected = delay.isJsonNull() ? Optional.empty() : Optional.of(delay.getAsLong());
            assertEquals(expected, hint.delayMs(call.get("attempt").getAsLong(), call.get("elapsed_ms").getAsLong(), call.get("random").getAsLong()),
                    call.toString());
        }
    }

    @Test
    void defaultRandomnessStaysWithinTheHint() {
        BackoffHint hint = new BackoffHint(100, 1_000, Jitter.FULL, OptionalLong.empty());
        for (int attempt = 0; attempt < 8; attempt++) {
            long delay = hint.delayMs(attempt, 0, BackoffHint.randomU32()).orElseThrow();
            assertTrue(delay >= 100 && delay <= Math.min(100L << (attempt + 1), 1_000), "attempt " + attempt + ": " + delay);
        }
        assertEquals(hint.delayMs(3, 0, 7), hint.delayMs(3, -1, 7), "a clock stepped backwards counts as 0");
        assertEquals(Optional.of(1_000L), hint.delayMs(Long.MAX_VALUE, 0, BackoffHint.U32_MAX));
        assertEquals(Optional.of(1L), new BackoffHint(0, 0, Jitter.NONE, OptionalLong.empty()).delayMs(0, 0, 0));
        // The delay chains with the classification's optional hint.
        assertEquals(Optional.of(100L), Optional.of(hint).flatMap(h -> h.delayMs(0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> hint.delayMs(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> hint.delayMs(0, 0, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new BackoffHint(-1, 5, Jitter.FULL, OptionalLong.empty()));
    }

    @Test
    void closedOfACloseFamily() {
        for (CodeFamily<?> family : Families.ALL.values()) {
            if (family.kind().equals("websocket_close")) {
                Closed<?> closed = Closed.of(family, 1006, "x".repeat(200), false);
                assertTrue(closed.localOnly() && closed.reasonTruncated());
                assertEquals(CloseCodes.MAX_CLOSE_REASON_BYTES, closed.reason().length());
                assertEquals(family.classify(1006).action(), closed.action());
            }
        }
    }

    @Test
    void sdkEventHelpersFollowTheVectors() {
        JsonArray rows = VECTORS.has("sdk_events") ? VECTORS.getAsJsonArray("sdk_events") : new JsonArray();
        java.util.Set<String> events = new java.util.TreeSet<>();
        for (JsonObject row : objects(rows)) {
            String event = row.get("event").getAsString();
            // centrifuge-java's rows only: another SDK's numbers (an error event) are not read here.
            if (!row.getAsJsonArray("sdks").contains(new JsonPrimitive("centrifuge-java"))) {
                continue;
            }
            events.add(event);
            long code = row.get("code").getAsLong();
            String what = event + " " + code + " " + row.get("reason");
            Optional<SdkEventAnswer> answer = SdkEvents.BY_EVENT.get(event).apply(code, row.get("reason").getAsString());
            if (row.get("family").isJsonNull()) {
                assertTrue(answer.isEmpty(), what + " is no code");
                continue;
            }
            SdkEventAnswer got = answer.orElseThrow(() -> new AssertionError(what + ": no answer"));
            assertEquals(row.get("family").getAsString(), got.family().id(), what);
            assertEquals(row.get("known").getAsBoolean(), got.isKnown(), what);
            assertEquals(row.get("action").getAsString(), got.action().wire(), what);
            assertEquals(optionalString(row.get("name")), got.known().map(RegisteredCode::codeName), what);
            assertEquals(got.action().triesAgain(), got.backoff().isPresent(), what);
        }
        assertEquals(events, new java.util.TreeSet<>(SdkEvents.BY_EVENT.keySet()));
        for (var helper : SdkEvents.BY_EVENT.values()) {
            assertTrue(helper.apply(-1L, "").isEmpty());
            assertTrue(helper.apply(65536L + 42, null).isEmpty(), "a number above 65535 is never wrapped");
        }
    }

    /** Shaped like centrifuge-java's {@code ReplyError}: {@code int getCode()}, nested by {@code getError()}. */
    public static final class ReplyError extends Throwable {
        private static final long serialVersionUID = 1L;
        private final int code;

        ReplyError(int code, String message) {
            super(message);
            this.code = code;
        }

        public int getCode() {
            return code;
        }
    }

    /** Shaped like centrifuge-java's {@code SubscriptionSubscribeError}: the reply under {@code getError()}. */
    public static final class Nesting extends Throwable {
        private static final long serialVersionUID = 1L;
        private final Throwable error;

        Nesting(Throwable error) {
            this.error = error;
        }

        public Throwable getError() {
            return error;
        }
    }

    /** Shaped like centrifuge-java's {@code ErrorEvent}: no Throwable, the error under {@code getError()}. */
    public static final class Event {
        private final Throwable error;

        Event(Throwable error) {
            this.error = error;
        }

        public Throwable getError() {
            return error;
        }
    }

    @Test
    void errorCodeOfFollowsGetErrorAndGetCause() {
        assertEquals(OptionalLong.of(103), SdkErrorCodes.errorCodeOf(new ReplyError(103, "permission denied")));
        assertEquals(OptionalLong.of(103), SdkErrorCodes.errorCodeOf(new Nesting(new Nesting(new ReplyError(103, "x")))));
        assertEquals(OptionalLong.of(109), SdkErrorCodes.errorCodeOf(new Event(new Nesting(new ReplyError(109, "x")))));
        assertEquals(OptionalLong.of(100), SdkErrorCodes.errorCodeOf(new RuntimeException("wrapped", new ReplyError(100, "x"))));
        // A number that is no code comes back as it is, never wrapped onto one; an int is unsigned.
        assertEquals(OptionalLong.of(65536L + 103), SdkErrorCodes.errorCodeOf(new ReplyError(65536 + 103, "x")));
        assertEquals(OptionalLong.of(4294967295L), SdkErrorCodes.errorCodeOf(new ReplyError(-1, "x")));
        assertEquals(OptionalLong.empty(), SdkErrorCodes.errorCodeOf(null));
        assertEquals(OptionalLong.empty(), SdkErrorCodes.errorCodeOf(new IllegalStateException("103")));
        assertEquals(OptionalLong.empty(), SdkErrorCodes.errorCodeOf(new Event(null)));
        assertEquals(OptionalLong.empty(), SdkErrorCodes.errorCodeOf("103"));
        Nesting loop = new Nesting(null);
        RuntimeException cycle = new RuntimeException("a");
        RuntimeException back = new RuntimeException("b", cycle);
        cycle.initCause(back);
        assertEquals(OptionalLong.empty(), SdkErrorCodes.errorCodeOf(cycle), "a cycle ends");
        assertEquals(OptionalLong.empty(), SdkErrorCodes.errorCodeOf(loop));
    }

    @Test
    void printingAProtocolValueGivesItsWireSpelling() {
        for (Action action : Action.values()) {
            assertEquals(action.wire(), action.toString());
            assertEquals(action.wire(), String.valueOf(action));
        }
        for (Behaviour behaviour : Behaviour.values()) {
            assertEquals(behaviour.wire(), behaviour.toString());
        }
        for (Origin origin : Origin.values()) {
            assertEquals(origin.wire(), origin.toString());
        }
        for (Scope scope : Scope.values()) {
            assertEquals(scope.wire(), scope.toString());
        }
        for (Jitter jitter : Jitter.values()) {
            assertEquals(jitter.wire(), jitter.toString());
        }
        assertEquals("reconnect_after_backoff", Action.RECONNECT_AFTER_BACKOFF + "");
    }
}
