from __future__ import annotations

import asyncio
import time
from typing import Awaitable, Callable, Optional, Protocol, TypeVar

from {{ python_package }} import Action, random_u32
from {{ python_package }}.{{ module }} import classify

T = TypeVar("T")


class {{ t }}Client(Protocol):
    """What the loop needs from the application."""

    def code_of(self, error: Exception) -> Optional[int]:
        """The code of a failed call's error, or None for an error without one."""
        ...

    def show_error(self, message: str) -> None:
        """Tells the user the call failed for good."""
        ...
{% if uses_wait %}
    def show_wait_screen(self) -> None:
        """Shows a waiting state (not an error) while the platform is out of capacity."""
        ...
{% endif %}{% if uses_refresh %}
    async def refresh_token(self) -> None:
        """Fetches a fresh token and reconnects with it."""
        ...
{% endif %}{% if uses_reconnect %}
    async def reconnect(self) -> None:
        """Opens a new connection."""
        ...
{% endif %}{% if uses_reauthenticate %}
    def sign_in(self) -> None:
        """Sends the user to sign in again."""
        ...
{% endif %}

async def call_with_{{ module }}_retries(app: {{ t }}Client, call: Callable[[], Awaitable[T]]) -> Optional[T]:
    """Runs ``call`` until it succeeds, retrying as each error code asks; None once it stops."""
    attempt = 0
    first_failure_at: Optional[float] = None
    while True:
        try:
            return await call()
        except Exception as error:
            found = app.code_of(error)
            if found is None:
                raise
            code = found
        if first_failure_at is None:
            first_failure_at = time.monotonic()
        classified = classify(code)
        action = classified.action
{% for used in uses %}        {% if loop.first %}if{% else %}elif{% endif %} action is Action.{{ used.action.as_str().to_uppercase() }}:  # {{ used.comment() }}
{% match used.action %}{% when Action::WaitForCapacity %}            app.show_wait_screen()
{% when Action::RefreshTokenThenReconnect %}            await app.refresh_token()
{% when Action::Reconnect | Action::ReconnectAfterBackoff %}            await app.reconnect()
{% when Action::RetryAfterBackoff %}            pass
{% when Action::Reauthenticate %}            app.sign_in()
            return None
{% when Action::FixConfiguration %}            app.show_error(f"{code}: fix the configuration; retrying cannot help")
            return None
{% when Action::Stop | Action::InProgress %}            return None
{% when Action::None %}            app.show_error(f"{code}: {action.advice}")
            return None
{% endmatch %}{% endfor %}        else:  # an action this family does not use
            return None
        if classified.backoff is None:
            return None
        elapsed_ms = int((time.monotonic() - first_failure_at) * 1000)
        delay_ms = classified.backoff.delay_ms(attempt, elapsed_ms, random_u32())
        if delay_ms is None:
            app.show_error(f"{code}: gave up after {attempt + 1} attempts")
            return None
        attempt += 1
        await asyncio.sleep(delay_ms / 1000)
