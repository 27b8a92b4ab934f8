"""Drives the running Centrifugo with centrifuge-python 0.7.0 and checks each code through the
installed `codebook-codes` Python binding (the wheel the test suite's consumer venv holds).

Prints one JSON row per scenario, like interop/js/scenarios.mjs; xtask/src/test_suite/interop.rs
runs it after the Go runner and before the JS runner (which ends by stopping the server).

Environment: CENTRIFUGO_WS, CENTRIFUGO_API, CENTRIFUGO_API_KEY, CENTRIFUGO_SECRET.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import traceback
import urllib.request
from typing import Any, Callable, Dict, List, Optional

import centrifuge  # type: ignore[import-untyped]
from centrifuge import Client, ClientEventHandler, SubscriptionEventHandler

from codebook_codes import SdkEventAnswer, sdk_events

WS_URL = os.environ["CENTRIFUGO_WS"]
API_URL = os.environ["CENTRIFUGO_API"]
API_KEY = os.environ["CENTRIFUGO_API_KEY"]
SECRET = os.environ["CENTRIFUGO_SECRET"]
SDK = "centrifuge-python 0.7.0"
TIMEOUT = 8.0
SETTLE = 0.7

rows: List[Dict[str, Any]] = []


def token(user: str) -> str:
    def part(value: Dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    body = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': user})}"
    signature = hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def api(method: str, params: Dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"{API_URL}/{method}",
        data=json.dumps(params).encode(),
        headers={"X-API-Key": API_KEY, "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return json.loads(response.read())


class Recorder(ClientEventHandler, SubscriptionEventHandler):  # type: ignore[misc]
    def __init__(self) -> None:
        self.events: List[Any] = []

    async def on_connected(self, ctx: Any) -> None:
        self.events.append(("connected", ctx))

    async def on_disconnected(self, ctx: Any) -> None:
        self.events.append(("disconnected", ctx))

    async def on_connecting(self, ctx: Any) -> None:
        self.events.append(("connecting", ctx))

    async def on_error(self, ctx: Any) -> None:
        self.events.append(("error", ctx))

    async def on_subscribed(self, ctx: Any) -> None:
        self.events.append(("subscribed", ctx))

    async def on_subscribing(self, ctx: Any) -> None:
        self.events.append(("subscribing", ctx))

    async def on_unsubscribed(self, ctx: Any) -> None:
        self.events.append(("unsubscribed", ctx))

    def named(self, name: str) -> List[Any]:
        return [ctx for event, ctx in self.events if event == name]


async def until(done: Callable[[], Any], what: str) -> None:
    async def wait() -> None:
        while not done():
            await asyncio.sleep(0.02)

    try:
        await asyncio.wait_for(wait(), TIMEOUT)
    except asyncio.TimeoutError:
        raise AssertionError(f"no {what} within {TIMEOUT} s") from None


def check(scenario: str, answer: Optional[SdkEventAnswer], family: str, code: int, reason: str, via: str,
          sdk_again: bool, sdk_did: str) -> None:
    """One row: the SDK event helper's answer (the server's numbers are read in the server's family)
    must come from ``family`` with the wire text, and try again exactly when the SDK did."""
    problems: List[str] = []
    arrived = f"{via} {code} {json.dumps(reason)}"
    if answer is None:
        rows.append({"sdk": SDK, "scenario": scenario, "arrived": arrived, "codebook": "-", "sdk_did": sdk_did,
                     "ok": False, "problems": [f"{code} is no code"]})
        return
    if answer.family.id != family:
        problems.append(f"the helper read {code} in {answer.family.id}, expected {family}")
    member = answer.member
    if member is None:
        problems.append(f"{code} is not registered in {answer.family.id}")
    elif member.message != reason:
        problems.append(f"binding says {member.message!r}, wire said {reason!r}")
    if answer.action.tries_again != sdk_again:
        problems.append(f"codebook says {answer.action.value}, the SDK {sdk_did}")
    name = member.name if member is not None else "(unregistered)"
    rows.append(
        {
            "sdk": SDK,
            "scenario": scenario,
            "arrived": arrived,
            "codebook": f"{answer.family.id} {name}: {answer.action.value}",
            "sdk_did": sdk_did,
            "ok": not problems,
            "problems": problems,
        }
    )


async def invalid_token() -> None:
    recorder = Recorder()
    client = Client(WS_URL, token="not-a-jwt", events=recorder, min_reconnect_delay=0.05, max_reconnect_delay=0.2)
    try:
        await client.connect()
        await until(lambda: recorder.named("disconnected"), "disconnected event")
        ctx = recorder.named("disconnected")[0]
        await asyncio.sleep(SETTLE)
        again = client.state != centrifuge.ClientState.DISCONNECTED or bool(recorder.named("connected"))
        check("invalid token", sdk_events.classify_disconnected_context(ctx), "centrifugo-disconnect", ctx.code,
              ctx.reason, "disconnected event", again,
              "reconnected" if again else "stopped (disconnected)")
    finally:
        await client.disconnect()


async def refused_subscription(scenario: str, user: str, channel: str) -> None:
    recorder = Recorder()
    client = Client(WS_URL, token=token(user), events=recorder, min_reconnect_delay=0.05, max_reconnect_delay=0.2)
    try:
        subscription = client.new_subscription(channel, events=recorder)
        await client.connect()
        await subscription.subscribe()
        await until(lambda: recorder.named("unsubscribed") or recorder.named("subscribed"), "unsubscribed event")
        if recorder.named("subscribed"):
            raise AssertionError(f"subscribed to {channel}")
        ctx = recorder.named("unsubscribed")[0]
        await asyncio.sleep(SETTLE)
        again = subscription.state != centrifuge.SubscriptionState.UNSUBSCRIBED or bool(recorder.named("subscribed"))
        check(scenario, sdk_events.classify_unsubscribed_context(ctx), "centrifugo-error", ctx.code, ctx.reason,
              "unsubscribed event", again,
              "resubscribes" if again else "stopped (unsubscribed)")
    finally:
        await client.disconnect()


async def server_unsubscribe() -> None:
    recorder = Recorder()
    user, channel = "py-unsubscribed", "py-news"
    client = Client(WS_URL, token=token(user), events=recorder, min_reconnect_delay=0.05, max_reconnect_delay=0.2)
    try:
        subscription = client.new_subscription(channel, events=recorder)
        await client.connect()
        await subscription.subscribe()
        await until(lambda: recorder.named("subscribed"), "subscribed event")
        await asyncio.to_thread(api, "unsubscribe", {"user": user, "channel": channel})
        await until(lambda: recorder.named("unsubscribed"), "unsubscribed event")
        ctx = recorder.named("unsubscribed")[0]
        await asyncio.sleep(SETTLE)
        again = subscription.state != centrifuge.SubscriptionState.UNSUBSCRIBED or len(recorder.named("subscribed")) > 1
        check("API unsubscribe", sdk_events.classify_unsubscribed_context(ctx), "centrifugo-unsubscribe", ctx.code,
              ctx.reason, "unsubscribed event", again,
              "resubscribed" if again else "stopped (unsubscribed)")
    finally:
        await client.disconnect()


async def main() -> None:
    scenarios = [
        ("invalid token", invalid_token),
        ("forbidden channel", lambda: refused_subscription("forbidden channel", "py-forbidden", "locked:room")),
        ("unknown namespace", lambda: refused_subscription("unknown namespace", "py-unknown", "nowhere:room")),
        ("API unsubscribe", server_unsubscribe),
    ]
    for scenario, run in scenarios:
        try:
            await run()
        except Exception:  # every failure becomes its scenario's row
            rows.append({"sdk": SDK, "scenario": scenario, "arrived": "-", "codebook": "-", "sdk_did": "-",
                         "ok": False, "problems": [traceback.format_exc()]})
    for row in rows:
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
