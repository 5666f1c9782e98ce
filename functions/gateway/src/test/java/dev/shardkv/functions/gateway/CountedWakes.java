package dev.shardkv.functions.gateway;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/** In tests no resharder function is there to invoke: the wakes are counted. */
@Alternative
@Priority(1)
@Singleton
public class CountedWakes implements ResharderWake {
    static final AtomicInteger WAKES = new AtomicInteger();

    @Override
    public void run() {
        WAKES.incrementAndGet();
    }
}
