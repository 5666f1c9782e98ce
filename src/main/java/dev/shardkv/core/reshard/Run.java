package dev.shardkv.core.reshard;

/** An operation being driven on its own thread by this runtime. */
interface Run {
    void start();

    /** Asks the run to abort before its point of no return and waits for it to end; answers the operation as saved. */
    Operation abort();

    /**
     * Stops where it is (the runtime is closing); the operation stays as saved, to be resumed. Waits up to
     * {@code waitMs} for its thread to end; whether it did.
     */
    boolean stop(long waitMs);
}
