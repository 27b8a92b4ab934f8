import {{ java_package }}.BackoffHint;
import {{ java_package }}.Classification;
import {{ java_package }}.{{ t }};
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** Runs a call until it succeeds, retrying as each error code asks; empty once it stops. */
final class CallWith{{ t }}Retries {
    /** What the loop needs from the application. */
    interface Client {
        /** The code of a failed call's error, or empty for an error without one. */
        OptionalInt codeOf(Exception error);

        /** Tells the user the call failed for good. */
        void showError(String message);
{% if uses_wait %}
        /** Shows a waiting state (not an error) while the platform is out of capacity. */
        void showWaitScreen();
{% endif %}{% if uses_refresh %}
        /** Fetches a fresh token and reconnects with it. */
        void refreshToken() throws InterruptedException;
{% endif %}{% if uses_reconnect %}
        /** Opens a new connection. */
        void reconnect() throws InterruptedException;
{% endif %}{% if uses_reauthenticate %}
        /** Sends the user to sign in again. */
        void signIn();
{% endif %}    }

    private CallWith{{ t }}Retries() {}

    static <T> Optional<T> run(Client app, Callable<T> call) throws Exception {
        long attempt = 0;
        long firstFailureAt = 0;
        for (;;) {
            int code;
            try {
                return Optional.of(call.call());
            } catch (Exception error) {
                OptionalInt found = app.codeOf(error);
                if (found.isEmpty()) {
                    throw error;
                }
                code = found.getAsInt();
            }
            if (attempt == 0) {
                firstFailureAt = System.nanoTime();
            }
            Classification<{{ t }}> classified = {{ t }}.classify(code);
            switch (classified.action()) {
{% for used in uses %}                case {{ used.action.as_str().to_uppercase() }} -> { // {{ used.comment() }}
{% match used.action %}{% when Action::WaitForCapacity %}                    app.showWaitScreen();
{% when Action::RefreshTokenThenReconnect %}                    app.refreshToken();
{% when Action::Reconnect | Action::ReconnectAfterBackoff %}                    app.reconnect();
{% when Action::RetryAfterBackoff %}                    // retry below, after the backoff delay
{% when Action::Reauthenticate %}                    app.signIn();
                    return Optional.empty();
{% when Action::FixConfiguration %}                    app.showError(code + ": fix the configuration; retrying cannot help");
                    return Optional.empty();
{% when Action::Stop | Action::InProgress %}                    return Optional.empty();
{% when Action::None %}                    app.showError(code + ": " + classified.action().advice());
                    return Optional.empty();
{% endmatch %}                }
{% endfor %}                default -> { // an action this family does not use
                    return Optional.empty();
                }
            }
            if (classified.backoff().isEmpty()) {
                return Optional.empty();
            }
            BackoffHint hint = classified.backoff().get();
            Optional<Long> delayMs = hint.delayMs(attempt, (System.nanoTime() - firstFailureAt) / 1_000_000, BackoffHint.randomU32());
            if (delayMs.isEmpty()) {
                app.showError(code + ": gave up after " + (attempt + 1) + " attempts");
                return Optional.empty();
            }
            attempt += 1;
            Thread.sleep(delayMs.get());
        }
    }
}
