from __future__ import annotations

import asyncio
import time
from typing import Protocol, Tuple

from {{ python_package }} import Action, Closed, random_u32
from {{ python_package }}.{{ module }} import FAMILY


class {{ t }}Client(Protocol):
    """What the loop needs from the application."""

    async def connect_once(self) -> Tuple[bool, int, str]:
        """Connects and serves one session; returns whether it opened, the close code and the reason."""
        ...

    def show_error(self, message: str) -> None:
        """Tells the user the connection ended for good."""
        ...
{% if uses_wait %}
    def show_wait_screen(self) -> None:
        """Shows a waiting state (not an error) while the platform is out of capacity."""
        ...
{% endif %}{% if uses_refresh %}
    async def refresh_token(self) -> None:
        """Fetches a fresh token for the next connection."""
        ...
{% endif %}{% if uses_reauthenticate %}
    def sign_in(self) -> None:
        """Sends the user to sign in again; the application starts a new loop afterwards."""
        ...
{% endif %}

async def keep_{{ module }}_connected(app: {{ t }}Client) -> None:
    """Keeps a session connected: reconnects as each close code asks, backs off, and gives up."""
    attempt = 0
    first_failure_at = time.monotonic()
    while True:
        opened, code, reason = await app.connect_once()
        if opened:
            # A session that opened starts a fresh backoff.
            attempt = 0
            first_failure_at = time.monotonic()
        closed = Closed.of(FAMILY, code, reason, was_clean=False)
        action = closed.action
{% for used in uses %}        {% if loop.first %}if{% else %}elif{% endif %} action is Action.{{ used.action.as_str().to_uppercase() }}:  # {{ used.comment() }}
{% match used.action %}{% when Action::WaitForCapacity %}            app.show_wait_screen()
{% when Action::RefreshTokenThenReconnect %}            await app.refresh_token()
{% when Action::Reconnect | Action::ReconnectAfterBackoff %}            pass
{% when Action::RetryAfterBackoff %}            pass
{% when Action::Reauthenticate %}            app.sign_in()
            return
{% when Action::FixConfiguration %}            app.show_error(f"{code}: fix the configuration; retrying cannot help")
            return
{% when Action::Stop | Action::InProgress %}            return
{% when Action::None %}            app.show_error(f"{code}: {action.advice}")
            return
{% endmatch %}{% endfor %}        else:  # an action this family does not use
            return
        if closed.backoff is None:
            return
        elapsed_ms = int((time.monotonic() - first_failure_at) * 1000)
        delay_ms = closed.backoff.delay_ms(attempt, elapsed_ms, random_u32())
        if delay_ms is None:
            app.show_error(f"{code}: gave up reconnecting after {attempt + 1} attempts")
            return
        attempt += 1
        await asyncio.sleep(delay_ms / 1000)
