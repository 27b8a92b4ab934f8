import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	{{ go_module|string }}
)

// {{ t }}Client is what the loop needs from the application.
type {{ t }}Client interface {
	// Session connects and serves one session; it returns whether the connection opened and
	// the error that ended it (a WebSocket library's close error carries the close code).
	Session(ctx context.Context) (opened bool, err error)
{% if uses_wait %}	// ShowWaitScreen shows a waiting state (not an error) while the platform is out of capacity.
	ShowWaitScreen()
{% endif %}{% if uses_refresh %}	// RefreshToken fetches a fresh token for the next Session.
	RefreshToken(ctx context.Context) error
{% endif %}{% if uses_reauthenticate %}	// SignIn sends the user to sign in again; the application starts a new loop afterwards.
	SignIn()
{% endif %}}

// Keep{{ t }}Connected keeps a session connected: it reconnects as each close code asks, backs
// off, and returns when a code says to stop, the backoff gives up or ctx ends.
func Keep{{ t }}Connected(ctx context.Context, app {{ t }}Client) error {
	var attempt uint32
	firstFailure := time.Now()
	for {
		opened, err := app.Session(ctx)
		if opened {
			// A session that opened starts a fresh backoff.
			attempt, firstFailure = 0, time.Now()
		}
		if err == nil {
			return nil // the application ended the session
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		classified, ok := {{ go_package }}.ClassifyCloseError(err, {{ go_package }}.Classify{{ t }})
		if !ok {
			// No close frame: the connection dropped (1006, abnormal closure).
			classified = {{ go_package }}.Classify{{ t }}(1006)
		}
		switch classified.Action {
{% for used in uses %}		case {{ go_package }}.{{ used.action.go_name() }}: // {{ used.comment() }}
{% match used.action %}{% when Action::WaitForCapacity %}			app.ShowWaitScreen()
{% when Action::RefreshTokenThenReconnect %}			if err := app.RefreshToken(ctx); err != nil {
				return {{ stop }}err
			}
{% when Action::Reconnect | Action::ReconnectAfterBackoff %}{% if close %}			// back off below
{% else %}			if err := app.Reconnect(ctx); err != nil {
				return {{ stop }}err
			}
{% endif %}{% when Action::RetryAfterBackoff %}			// back off below
{% when Action::Reauthenticate %}			app.SignIn()
			return {{ stop }}err
{% when Action::FixConfiguration %}			return {{ stop }}fmt.Errorf("%v: fix the configuration, retrying cannot help: %w", classified.Code, err)
{% when Action::Stop | Action::InProgress %}			return {{ stop }}err
{% when Action::None %}			return {{ stop }}fmt.Errorf("%v: %s: %w", classified.Code, classified.Action.Advice(), err)
{% endmatch %}{% endfor %}		default: // an action this family does not use
			return err
		}
		delay, ok := classified.Backoff.Delay(attempt, time.Since(firstFailure), rand.Uint32())
		if !ok || !classified.Action.TriesAgain() {
			return fmt.Errorf("%v: gave up reconnecting after %d attempts: %w", classified.Code, attempt+1, err)
		}
		attempt++
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}
