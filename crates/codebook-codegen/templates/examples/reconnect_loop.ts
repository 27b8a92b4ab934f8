import { {% if uses_none %}actionAdvice, {% endif %}classifyCloseEvent, delayMs, randomU32, {{ p }}Family } from {{ npm_name|string }};

/** What the loop needs from the application. */
export interface {{ t }}Client {
  /** The URL to connect to, with the current token. */
  url(): string;
  /** Called with every socket that opened. */
  onOpen(socket: WebSocket): void;
  /** Tells the user the connection ended for good. */
  showError(message: string): void;
{% if uses_wait %}  /** Shows a waiting state (not an error) while the platform is out of capacity. */
  showWaitScreen(): void;
{% endif %}{% if uses_refresh %}  /** Fetches a fresh token, which `url()` then uses. */
  refreshToken(): Promise<void>;
{% endif %}{% if uses_reauthenticate %}  /** Sends the user to sign in again; the application starts a new loop afterwards. */
  signIn(): void;
{% endif %}}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Opens a socket and resolves when it closes, with the close event and whether it ever opened. */
function connectOnce(app: {{ t }}Client): Promise<{ opened: boolean; event: CloseEvent }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(app.url());
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      app.onOpen(socket);
    });
    socket.addEventListener("close", (event) => resolve({ opened, event }));
  });
}

/** Keeps a session connected: reconnects as each close code asks, backs off, and gives up. */
export async function keep{{ t }}Connected(app: {{ t }}Client): Promise<void> {
  let attempt = 0;
  let firstFailureAt = Date.now();
  for (;;) {
    const { opened, event } = await connectOnce(app);
    if (opened) {
      // A session that opened starts a fresh backoff.
      attempt = 0;
      firstFailureAt = Date.now();
    }
    const classified = classifyCloseEvent({{ p }}Family, event);
    const code = classified.code;
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
        return;
    }
    if (classified.backoff === undefined) return;
    const delay = delayMs(classified.backoff, attempt, Date.now() - firstFailureAt, randomU32());
    if (delay === undefined) {
      app.showError(`${code}: gave up reconnecting after ${attempt + 1} attempts`);
      return;
    }
    attempt += 1;
    await sleep(delay);
  }
}
