package dev.codebook.codes;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which close codes may travel where (RFC 6455, section 7.4, and the WHATWG WebSocket rules), and
 * how long a close reason may be.
 */
public final class CloseCodes {
    /** The longest close reason a close frame carries, in UTF-8 bytes (RFC 6455, section 5.5). */
    public static final int MAX_CLOSE_REASON_BYTES = CloseCodeRules.MAX_CLOSE_REASON_BYTES;

    private CloseCodes() {}

    /**
     * What every close code may be used for.
     *
     * @return sorted runs covering 0 to 65535
     */
    public static List<CloseCodeRule> rules() {
        return CloseCodeRules.ALL;
    }

    /**
     * The rule covering a close code.
     *
     * @param code a number from 0 to 65535
     * @return its rule
     * @throws IllegalArgumentException when the number is out of range
     */
    public static CloseCodeRule rule(int code) {
        CodeFamily.checkCodeNumber(code);
        for (CloseCodeRule rule : CloseCodeRules.ALL) {
            if (rule.from() <= code && code <= rule.to()) {
                return rule;
            }
        }
        throw new IllegalStateException("the close-code rules cover 0 to 65535");
    }

    /**
     * The code to pass on after receiving {@code code}: itself when {@code sender} may send it,
     * otherwise a safe replacement (copying 1006 into {@code WebSocket.close()} would throw).
     *
     * @param code the received close code, 0 to 65535
     * @param sender who passes it on
     * @return a code the sender may send
     */
    public static int safeCloseCode(int code, CloseSender sender) {
        CloseCodeRule rule = rule(code);
        if (sender == CloseSender.BROWSER) {
            return rule.browserMaySend() ? code : rule.browserForwards();
        }
        return rule.endpointMaySend() ? code : rule.endpointForwards();
    }

    /**
     * The longest prefix of {@code reason} that fits a close frame (123 UTF-8 bytes), cut between
     * characters, never inside one's UTF-8 sequence or between the halves of a surrogate pair.
     *
     * @param reason any text
     * @return the reason, or its longest prefix that fits
     */
    public static String truncateCloseReason(String reason) {
        if (reason.length() * 3 <= MAX_CLOSE_REASON_BYTES
                || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES) {
            return reason;
        }
        int used = 0;
        int index = 0;
        while (index < reason.length()) {
            int codePoint = reason.codePointAt(index);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (used + size > MAX_CLOSE_REASON_BYTES) {
                break;
            }
            used += size;
            index += Character.charCount(codePoint);
        }
        return reason.substring(0, index);
    }
}
