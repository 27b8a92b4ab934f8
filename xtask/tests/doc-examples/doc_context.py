"""What a Python fragment of the project's Markdown may use without defining it, as a reader's own
program would have it in scope. `xtask/src/test_suite/doc_examples.rs` runs every fragment after
``from doc_context import *``; a fragment that uses anything else fails mypy and fails to run."""

close_code: int = 4001
"""A close code the program received (streaming-session's 4001, which waits and retries)."""
reason: str = "No Worker Node Available"
"""The close frame's reason."""
attempt: int = 0
"""Retries so far."""
elapsed_ms: int = 0
"""Milliseconds since the first failure of this outage."""
