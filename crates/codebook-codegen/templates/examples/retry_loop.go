import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	{{ go_module|string }}
)

// {{ t }}Client is what the loop needs from the application.
type {{ t }}Client interface {
{% if uses_wait %}	// ShowWaitScreen shows a waiting state (not an error) while the platform is out of capacity.
	ShowWaitScreen()
{% endif %}{% if uses_refresh %}	// RefreshToken fetches a fresh token and reconnects with it.
	RefreshToken(ctx context.Context) error
{% endif %}{% if uses_reconnect %}	// Reconnect opens a new connection.
	Reconnect(ctx context.Context) error
{% endif %}{% if uses_reauthenticate %}	// SignIn sends the user to sign in again.
	SignIn()
{% endif %}}

// CallWith{{ t }}Retries runs call until it succeeds, retrying as the code of each error asks (an
// error wrapping a {{ go_package }}.{{ t }}Error, see {{ t }}.Err), and returns the last error once it stops.
func CallWith{{ t }}Retries[T any](ctx context.Context, app {{ t }}Client, call func(context.Context) (T, error)) (T, error) {
	var zero T
	var attempt uint32
	var firstFailure time.Time
	for {
		result, err := call(ctx)
		if err == nil {
			return result, nil
		}
		var coded {{ go_package }}.{{ t }}Error
		if !errors.As(err, &coded) {
			return zero, err
		}
		if attempt == 0 {
			firstFailure = time.Now()
		}
		classified := {{ go_package }}.Classify{{ t }}(uint16(coded.Code))
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
			return zero, err
		}
		delay, ok := classified.Backoff.Delay(attempt, time.Since(firstFailure), rand.Uint32())
		if !ok || !classified.Action.TriesAgain() {
			return zero, fmt.Errorf("%v: gave up after %d attempts: %w", classified.Code, attempt+1, err)
		}
		attempt++
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-time.After(delay):
		}
	}
}
