import { {% if uses_none %}actionAdvice, {% endif %}classify{{ t }}, delayMs, randomU32 } from {{ npm_name|string }};

/** What the loop needs from the application. */
export interface {{ t }}Client {
  /** The code of a failed call's error, or undefined for an error without one. */
  codeOf(error: unknown): number | undefined;
  /** Tells the user the call failed for good. */
  showError(message: string): void;
{% if uses_wait %}  /** Shows a waiting state (not an error) while the platform is out of capacity. */
  showWaitScreen(): void;
{% endif %}{% if uses_refresh %}  /** Fetches a fresh token and reconnects with it. */
  refreshToken(): Promise<void>;
{% endif %}{% if uses_reconnect %}  /** Opens a new connection. */
  reconnect(): Promise<void>;
{% endif %}{% if uses_reauthenticate %}  /** Sends the user to sign in again. */
  signIn(): void;
{% endif %}}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call` until it succeeds, retrying as each error code asks; undefined once it stops. */
export async function callWith{{ t }}Retries<T>(app: {{ t }}Client, call: () => Promise<T>): Promise<T | undefined> {
  let attempt = 0;
  let firstFailureAt: number | undefined;
  for (;;) {
    let error: unknown;
    try {
      return await call();
    } catch (caught) {
      error = caught;
    }
    const code = app.codeOf(error);
    if (code === undefined) throw error;
    firstFailureAt ??= Date.now();
    const classified = classify{{ t }}(code);
    switch (classified.action) {
{% for used in uses %}      case "{{ used.action.as_str() }}": // {{ used.comment() }}
{% match used.action %}{% when Action::WaitForCapacity %}        app.showWaitScreen();
        break;
{% when Action::RefreshTokenThenReconnect %}        await app.refreshToken();
        break;
{% when Action::Reconnect | Action::ReconnectAfterBackoff %}{% if close %}        break;
{% else %}        await app.reconnect();
        break;
{% endif %}{% when Action::RetryAfterBackoff %}        break;
{% when Action::Reauthenticate %}        app.signIn();
        {{ stop|safe }}
{% when Action::FixConfiguration %}        app.showError(`${code}: fix the configuration; retrying cannot help`);
        {{ stop|safe }}
{% when Action::Stop | Action::InProgress %}        {{ stop|safe }}
{% when Action::None %}        app.showError(`${code}: ${actionAdvice(classified.action)}`);
        {{ stop|safe }}
{% endmatch %}{% endfor %}      default: // an action this family does not use
        return undefined;
    }
    if (classified.backoff === undefined) return undefined;
    const delay = delayMs(classified.backoff, attempt, Date.now() - firstFailureAt, randomU32());
    if (delay === undefined) {
      app.showError(`${code}: gave up after ${attempt + 1} attempts`);
      return undefined;
    }
    attempt += 1;
    await sleep(delay);
  }
}
