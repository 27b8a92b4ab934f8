/**
 * What a Java fragment of the project's Markdown may use without declaring it, as a reader's own
 * program would have it in scope: {@code xtask/src/test_suite/doc_examples.rs} wraps every
 * fragment in a class extending this one (statements in a method, a listener's methods as they
 * are), so anything else does not compile. It is a centrifuge-java {@code EventListener}, as the
 * class of a listener fragment would be.
 */
abstract class DocContext extends io.github.centrifugal.centrifuge.EventListener {
    /** The program's logger. */
    protected final java.util.logging.Logger log = java.util.logging.Logger.getLogger("app");
    /** A close code the program received. */
    protected int closeCode = 4001;
    /** Retries so far. */
    protected long attempt;
    /** Milliseconds since the first failure of this outage. */
    protected long elapsedMs;
}
