"""The real centrifuge-python 0.7.0 SDK, its events mapped through the installed `codebook-codes`.

A small stand-in server on 127.0.0.1 (a free port) speaks Centrifugo's JSON protocol just far
enough to make the SDK raise each event itself: it answers the connect command, then closes the
socket with 3500 "invalid token" (a disconnect event); it fails a connect with the temporary error
100 (an error event); it refuses a subscription with 103 "permission denied" (an unsubscribed
event and, for a temporary 111, a subscription error event); it unsubscribes the client with 2000
(an unsubscribed event), and the app's own disconnect() yields the SDK's code 0. The consumer hands
each code the SDK
reports to the binding and checks that the binding's answer agrees with what the SDK did: no
reconnect after a terminal disconnect, a retry after a temporary error.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional

import centrifuge  # type: ignore[import-untyped]
from centrifuge import (
    Client,
    ClientEventHandler,
    DisconnectedContext,
    ErrorContext,
    SubscriptionErrorContext,
    SubscriptionEventHandler,
    UnsubscribedContext,
)
from websockets.asyncio.server import ServerConnection, serve

from codebook_codes.centrifuge_sdk_disconnected import CentrifugeSdkDisconnected
from codebook_codes.centrifugo_disconnect import CentrifugoDisconnect
from codebook_codes.centrifugo_error import CentrifugoError
from codebook_codes.centrifugo_unsubscribe import CentrifugoUnsubscribe
from codebook_codes.sdk_events import classify_disconnected_context, classify_error, classify_unsubscribed_context

TIMEOUT = 10.0


class Scenario:
    """What the stand-in server does with each connection."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.connects = 0


async def serve_connection(scenario: Scenario, connection: ServerConnection) -> None:
    async for frame in connection:
        for line in str(frame).splitlines():
            command: Dict[str, Any] = json.loads(line)
            reply = answer(scenario, command)
            if reply == "close-3500":
                await connection.close(3500, "invalid token")
                return
            if reply is not None:
                await connection.send(json.dumps(reply))
            if scenario.mode == "server-unsubscribe" and "subscribe" in command:
                push = {"push": {"channel": "chat", "unsubscribe": {"code": 2000, "reason": "server unsubscribe"}}}
                await connection.send(json.dumps(push))


def answer(scenario: Scenario, command: Dict[str, Any]) -> Any:
    ident = command.get("id", 0)
    if "connect" in command:
        scenario.connects += 1
        if scenario.mode == "temporary-connect-error" and scenario.connects == 1:
            return {"id": ident, "error": {"code": 100, "message": "internal server error", "temporary": True}}
        return {"id": ident, "connect": {"client": f"client-{scenario.connects}", "version": "6.9.1", "ping": 0, "pong": False}}
    if "subscribe" in command:
        if scenario.mode == "close-after-connect":
            return "close-3500"
        if scenario.mode == "subscribe-permission-denied":
            return {"id": ident, "error": {"code": 103, "message": "permission denied"}}
        if scenario.mode == "subscribe-too-many-requests":
            return {"id": ident, "error": {"code": 111, "message": "too many requests", "temporary": True}}
        return {"id": ident, "subscribe": {}}
    if ident:
        return {"id": ident}
    return None


class Recorder(ClientEventHandler, SubscriptionEventHandler):  # type: ignore[misc]
    """Records every event the SDK raises."""

    def __init__(self) -> None:
        self.disconnected: List[DisconnectedContext] = []
        self.errors: List[ErrorContext] = []
        self.unsubscribed: List[UnsubscribedContext] = []
        self.subscription_errors: List[SubscriptionErrorContext] = []

    async def on_disconnected(self, ctx: DisconnectedContext) -> None:
        self.disconnected.append(ctx)

    async def on_error(self, ctx: Any) -> None:
        if isinstance(ctx, SubscriptionErrorContext):
            self.subscription_errors.append(ctx)
        else:
            self.errors.append(ctx)

    async def on_unsubscribed(self, ctx: Any) -> None:
        if isinstance(ctx, UnsubscribedContext):
            self.unsubscribed.append(ctx)


async def until(recorder: Recorder, done: Any) -> None:
    async def wait() -> None:
        while not done():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(wait(), TIMEOUT)


async def run(mode: str, subscribe: bool) -> tuple[Recorder, Client, Scenario]:
    scenario = Scenario(mode)
    server = await serve(lambda connection: serve_connection(scenario, connection), "127.0.0.1", 0)
    port = next(iter(server.sockets)).getsockname()[1]
    recorder = Recorder()
    client = Client(
        f"ws://127.0.0.1:{port}/connection/websocket",
        events=recorder,
        min_reconnect_delay=0.05,
        max_reconnect_delay=0.2,
        proxy=None,
    )
    client.server = server
    if subscribe:
        subscription = client.new_subscription("chat", events=recorder)
        await subscription.subscribe()
    await client.connect()
    return recorder, client, scenario


async def stop(client: Client) -> None:
    await client.disconnect()
    server = client.server
    server.close()
    await server.wait_closed()


async def terminal_disconnect() -> None:
    recorder, client, _ = await run("close-after-connect", subscribe=True)
    await until(recorder, lambda: recorder.disconnected)
    ctx = recorder.disconnected[0]
    # The SDK's own context goes in as it is; the server's 3500 is read in the server's family.
    classified = classify_disconnected_context(ctx)
    assert classified is not None and classified.member is CentrifugoDisconnect.INVALID_TOKEN, ctx
    assert classified.member.message == ctx.reason
    assert classified.behaviour.is_terminal and not classified.action.tries_again
    # The SDK made the same decision: it stays disconnected instead of reconnecting.
    await asyncio.sleep(0.3)
    assert client.state == centrifuge.ClientState.DISCONNECTED, client.state
    await stop(client)
    print(f"disconnect {ctx.code} {ctx.reason!r}: {classified.action.value}")


async def temporary_connect_error() -> None:
    recorder, client, scenario = await run("temporary-connect-error", subscribe=False)
    await until(recorder, lambda: recorder.errors)
    error = recorder.errors[0].error
    assert isinstance(error, centrifuge.ReplyError), error
    classified = classify_error(error)
    assert classified is not None and classified.member is CentrifugoError.INTERNAL
    assert classified.behaviour.is_temporary == error.temporary
    assert classified.backoff is not None and classified.action.tries_again
    # The SDK retried as the binding says it should.
    await until(recorder, lambda: scenario.connects >= 2)
    await stop(client)
    print(f"error {error.code} {error.message!r}: {classified.action.value}")


async def refused_subscription() -> None:
    recorder, client, _ = await run("subscribe-permission-denied", subscribe=True)
    await until(recorder, lambda: recorder.unsubscribed)
    ctx = recorder.unsubscribed[0]
    # The reply's 103 arrives in the unsubscribed event and is read in the server's error family.
    classified = classify_unsubscribed_context(ctx)
    assert classified is not None and classified.member is CentrifugoError.PERMISSION_DENIED, ctx
    assert classified.member.message == ctx.reason
    assert not classified.behaviour.is_temporary and not classified.action.tries_again
    await stop(client)
    print(f"unsubscribed {ctx.code} {ctx.reason!r}: {classified.action.value}")


async def throttled_subscription() -> None:
    recorder, client, _ = await run("subscribe-too-many-requests", subscribe=True)
    await until(recorder, lambda: recorder.subscription_errors)
    error: Optional[BaseException] = recorder.subscription_errors[0].error
    assert isinstance(error, centrifuge.ReplyError), error
    classified = classify_error(error)
    assert classified is not None and classified.member is CentrifugoError.TOO_MANY_REQUESTS
    assert classified.behaviour.is_temporary == error.temporary
    await stop(client)
    print(f"subscription error {error.code} {error.message!r}: {classified.action.value}")


async def server_unsubscribe_and_disconnect_called() -> None:
    recorder, client, _ = await run("server-unsubscribe", subscribe=True)
    await until(recorder, lambda: recorder.unsubscribed)
    ctx = recorder.unsubscribed[0]
    classified = classify_unsubscribed_context(ctx)
    assert classified is not None and classified.member is CentrifugoUnsubscribe.SERVER_UNSUBSCRIBE, ctx
    assert classified.member.message == ctx.reason
    # The SDK does not resubscribe after a code below 2500, and the binding says stop.
    assert not classified.behaviour.should_reconnect and not classified.action.tries_again
    print(f"unsubscribed {ctx.code} {ctx.reason!r}: {classified.action.value}")
    # The app disconnects: the SDK reports its own code 0, which the SDK family names.
    await stop(client)
    await until(recorder, lambda: recorder.disconnected)
    own = recorder.disconnected[-1]
    mine = classify_disconnected_context(own)
    assert mine is not None and mine.member is CentrifugeSdkDisconnected.DISCONNECT_CALLED, own
    assert mine.member.message == own.reason
    print(f"disconnected {own.code} {own.reason!r}: {mine.action.value}")


async def main() -> None:
    await terminal_disconnect()
    await server_unsubscribe_and_disconnect_called()
    await temporary_connect_error()
    await refused_subscription()
    await throttled_subscription()
    print("centrifuge-python consumer: ok")


if __name__ == "__main__":
    asyncio.run(main())
