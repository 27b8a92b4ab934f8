// Package docexamples holds the Go fragments of the project's Markdown, each wrapped in a function
// by xtask/src/test_suite/doc_examples.rs. This file declares what a fragment may use without
// declaring it, as a reader's own program would have it in scope; anything else does not compile.
package docexamples

import stdlog "log"

var (
	// closeCode is a close code the program received.
	closeCode uint16
	// attempt counts the retries so far.
	attempt uint32
	// elapsedMs is the time since the first failure of this outage.
	elapsedMs uint64
	// err is an error a WebSocket library returned.
	err error
	// log is the program's logger.
	log = stdlog.Default()
)
