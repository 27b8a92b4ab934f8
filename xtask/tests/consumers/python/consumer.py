"""A consumer of the installed `codebook-codes` wheel, run in a fresh virtual environment with
nothing else installed: what an application does with a close code and an error code."""

from __future__ import annotations

import importlib.metadata
import warnings
from typing import TYPE_CHECKING, Optional, Tuple

from codebook_codes import Closed, CloseSender, random_u32, safe_close_code, truncate_close_reason
from codebook_codes.centrifuge_js_error import CentrifugeJsError
from codebook_codes.centrifuge_js_error import from_message as js_error_from_message
from codebook_codes.centrifugo_disconnect import CentrifugoDisconnect
from codebook_codes.centrifugo_disconnect import classify as classify_disconnect
from codebook_codes.centrifugo_error import classify as classify_error
from codebook_codes.streaming_session import FAMILY as STREAMING_SESSION


def main() -> None:
    distribution = importlib.metadata.distribution("codebook-codes")
    assert distribution.requires is None or distribution.requires == [], distribution.requires
    assert any(str(path).endswith("py.typed") for path in distribution.files or [])

    closed = classify_disconnect(3500)
    assert closed.member is CentrifugoDisconnect.INVALID_TOKEN
    assert closed.member.message == "invalid token"
    assert closed.behaviour.is_terminal

    newer = classify_disconnect(4321)
    assert newer.member is None and newer.behaviour.should_reconnect and newer.backoff is not None
    delay = newer.backoff.delay_ms(0, 0, random_u32())
    assert delay is not None and delay >= newer.backoff.min_ms

    error = classify_error(111)
    assert error.action.tries_again and error.behaviour.is_temporary

    local = Closed.of(STREAMING_SESSION, 1006, "", was_clean=False)
    assert local.local_only
    assert safe_close_code(1006, CloseSender.BROWSER) == 1000
    assert len(truncate_close_reason("\u00e9" * 100).encode()) == 122

    for bad in (True, -1, 65536, 3500.0, "3500"):
        try:
            classify_disconnect(bad)  # type: ignore[arg-type]
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        classify_disconnect(3000)  # a current code never warns

    # A family of fixed texts keeps `message: str`; one whose texts may be built at run time says so.
    token = CentrifugeJsError.CLIENT_CONNECT_TOKEN
    if TYPE_CHECKING:
        from typing_extensions import assert_type

        assert_type(CentrifugoDisconnect.INVALID_TOKEN.message, str)
        assert_type(CentrifugoDisconnect.INVALID_TOKEN.info.message, str)
        assert_type(token.message, Optional[str])
        assert_type(token.message_varies, Optional[str])
        assert_type(token.known_messages, Tuple[str, ...])
    assert token.message is None and token.message_varies
    assert CentrifugeJsError.TIMEOUT.message == "timeout" and CentrifugeJsError.TIMEOUT.message_varies is None
    assert js_error_from_message("getState failed") is CentrifugeJsError(13)
    assert js_error_from_message("disconnected") is CentrifugeJsError(3)
    assert js_error_from_message(token.message_varies) is None
    assert repr(token) == "<CentrifugeJsError.CLIENT_CONNECT_TOKEN: 5>"
    print("python consumer: ok")


if __name__ == "__main__":
    main()
