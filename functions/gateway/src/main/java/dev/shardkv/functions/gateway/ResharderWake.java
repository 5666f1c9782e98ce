package dev.shardkv.functions.gateway;

/** Starts the resharder function, which runs the splits and merges the admin routes store. */
public interface ResharderWake extends Runnable {
}
