package dev.codebook.codes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds the error code an official SDK's error carries, without depending on the SDK.
 *
 * <p>centrifuge-java reports a server's error reply as a {@code ReplyError} ({@code int
 * getCode()}), and nests it under {@code getError()}, not {@code getCause()}: a refused subscribe
 * arrives as a {@code SubscriptionErrorEvent} whose {@code getError()} is a
 * {@code SubscriptionSubscribeError} whose {@code getError()} is the {@code ReplyError}. {@link
 * #errorCodeOf(Object)} follows both links.
 */
public final class SdkErrorCodes {
    /** How many links {@link #errorCodeOf(Object)} follows before it gives up. */
    private static final int MAX_DEPTH = 32;

    private SdkErrorCodes() {}

    /**
     * The error code {@code error} carries, or one it holds under {@code getError()} or
     * {@code getCause()}, searched in that order, depth first.
     *
     * <p>An object carries a code when its class has a public {@code getCode()} returning an
     * {@code int} or a {@code long} and it is a {@link Throwable} (centrifuge-java's
     * {@code ReplyError}). Events that hold an error ({@code ErrorEvent},
     * {@code SubscriptionErrorEvent}) may be passed as they are. An {@code int} is read as the
     * unsigned 32-bit number the protocol sends, and the number is returned as it is: a number
     * above 65535 is never wrapped onto a code, the {@code classify} functions refuse it.
     *
     * @param error an error or an event holding one; null gives empty
     * @return the code, or empty when there is none
     */
    public static OptionalLong errorCodeOf(Object error) {
        return search(error, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    private static OptionalLong search(Object error, Set<Object> seen, int depth) {
        if (error == null || depth > MAX_DEPTH || !seen.add(error)) {
            return OptionalLong.empty();
        }
        if (error instanceof Throwable) {
            Object code = call(error, "getCode");
            if (code instanceof Integer number) {
                return OptionalLong.of(Integer.toUnsignedLong(number));
            }
            if (code instanceof Long number && number >= 0) {
                return OptionalLong.of(number);
            }
        }
        Object inner = call(error, "getError");
        if (inner instanceof Throwable) {
            OptionalLong found = search(inner, seen, depth + 1);
            if (found.isPresent()) {
                return found;
            }
        }
        if (error instanceof Throwable throwable) {
            return search(throwable.getCause(), seen, depth + 1);
        }
        return OptionalLong.empty();
    }

    /** The value of a public no-argument method, or null when there is none or it fails. */
    private static Object call(Object target, String name) {
        try {
            Method method = target.getClass().getMethod(name);
            Class<?> type = method.getReturnType();
            boolean wanted = name.equals("getCode") ? type == int.class || type == long.class : Throwable.class.isAssignableFrom(type);
            return wanted ? method.invoke(target) : null;
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException | RuntimeException e) {
            return null;
        }
    }
}
