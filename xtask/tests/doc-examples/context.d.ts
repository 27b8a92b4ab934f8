// What a TypeScript fragment of the project's Markdown may use without declaring it, as a
// reader's own program would have it in scope. `xtask/src/test_suite/doc_examples.rs` compiles
// every fragment beside this file; a fragment that uses anything else does not compile.

/** The page's WebSocket to the server. */
declare const socket: WebSocket;
/** A close code the program received. */
declare const code: number;
/** Retries so far. */
declare const attempt: number;
/** `Date.now()` at the first failure of this outage. */
declare const firstFailure: number;
/** The program's own error screen. */
declare function showError(action: string): void;
/** The program's own connect function. */
declare function connect(): void;
