import {{ java_package }}.BackoffHint;
import {{ java_package }}.Closed;
import {{ java_package }}.{{ t }};
import java.util.Optional;

/** Keeps a session connected: reconnects as each close code asks, backs off, and gives up. */
final class Keep{{ t }}Connected {
    /** One session that ended: whether it opened, and the close code and reason. */
    record Session(boolean opened, int code, String reason) {}

    /** What the loop needs from the application. */
    interface Client {
        /** Connects and serves one session; returns when it closes. */
        Session connectOnce() throws InterruptedException;

        /** Tells the user the connection ended for good. */
        void showError(String message);
{% if uses_wait %}
        /** Shows a waiting state (not an error) while the platform is out of capacity. */
        void showWaitScreen();
{% endif %}{% if uses_refresh %}
        /** Fetches a fresh token for the next connection. */
        void refreshToken() throws InterruptedException;
{% endif %}{% if uses_reauthenticate %}
        /** Sends the user to sign in again; the application starts a new loop afterwards. */
        void signIn();
{% endif %}    }

    private Keep{{ t }}Connected() {}

    static void run(Client app) throws InterruptedException {
        long attempt = 0;
        long firstFailureAt = System.nanoTime();
        for (;;) {
            Session session = app.connectOnce();
            if (session.opened()) {
                // A session that opened starts a fresh backoff.
                attempt = 0;
                firstFailureAt = System.nanoTime();
            }
            Closed<{{ t }}> closed = Closed.of({{ t }}.family(), session.code(), session.reason(), false);
            int code = session.code();
            switch (closed.action()) {
{% for used in uses %}                case {{ used.action.as_str().to_uppercase() }} -> { // {{ used.comment() }}
{% match used.action %}{% when Action::WaitForCapacity %}                    app.showWaitScreen();
{% when Action::RefreshTokenThenReconnect %}                    app.refreshToken();
{% when Action::Reconnect | Action::ReconnectAfterBackoff %}                    // reconnect below, after the backoff delay
{% when Action::RetryAfterBackoff %}                    // reconnect below, after the backoff delay
{% when Action::Reauthenticate %}                    app.signIn();
                    return;
{% when Action::FixConfiguration %}                    app.showError(code + ": fix the configuration; retrying cannot help");
                    return;
{% when Action::Stop | Action::InProgress %}                    return;
{% when Action::None %}                    app.showError(code + ": " + closed.action().advice());
                    return;
{% endmatch %}                }
{% endfor %}                default -> { // an action this family does not use
                    return;
                }
            }
            if (closed.backoff().isEmpty()) {
                return;
            }
            BackoffHint hint = closed.backoff().get();
            Optional<Long> delayMs = hint.delayMs(attempt, (System.nanoTime() - firstFailureAt) / 1_000_000, BackoffHint.randomU32());
            if (delayMs.isEmpty()) {
                app.showError(code + ": gave up reconnecting after " + (attempt + 1) + " attempts");
                return;
            }
            attempt += 1;
            Thread.sleep(delayMs.get());
        }
    }
}
