package dev.codebook.codes;

/** Who passes a close code on. */
public enum CloseSender {
    /** Browser code calling {@code WebSocket.close(code)}. */
    BROWSER,
    /** A server or proxy writing a close frame. */
    ENDPOINT
}
