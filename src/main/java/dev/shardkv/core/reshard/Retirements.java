package dev.shardkv.core.reshard;

import dev.shardkv.core.topology.ShardEntry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the sources of a finished operation once their grace has passed: until then, a reader or
 * writer still holding the old map finds the source (frozen for writes) and moves to the new map. A
 * removed replica's table goes the same way: a reader holding the old map may still read it meanwhile.
 */
final class Retirements implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retirements.class);
    private final ShardHost host;
    private final Duration grace;
    private final Predicate<ShardEntry> inUse;
    private final Predicate<String> replicaInUse;
    private final Set<String> retired = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retire-sources");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param inUse        whether a shard's tables belong to a live shard or an operation's target by now (an id
     *                     that came back)
     * @param replicaInUse the same for one replica table (a replica added again)
     */
    Retirements(ShardHost host, Duration grace, Predicate<ShardEntry> inUse, Predicate<String> replicaInUse) {
        this.host = host;
        this.grace = grace;
        this.inUse = inUse;
        this.replicaInUse = replicaInUse;
    }

    /** Drops the source after the grace; a source retired once already is not retired twice. */
    void retire(ShardEntry source) {
        if (!retired.add(source.leader())) {
            return;
        }
        timer.schedule(() -> {
            try {
                if (inUse.test(source)) {
                    LOG.info("shard {} is not retired: its tables are in use again", source.id());
                    return;
                }
                host.drop(source);
                LOG.debug("retired shard {}", source.id());
            } catch (RuntimeException e) {
                LOG.warn("could not retire shard {}; its tables stay", source.id(), e);
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops a removed replica's table after the grace; {@code shard} is the shard as it is without it. */
    void retire(ShardEntry shard, String table) {
        if (!retired.add(table)) {
            return;
        }
        timer.schedule(() -> {
            try {
                if (replicaInUse.test(table)) {
                    LOG.info("replica table {} is not dropped: it is in use again", table);
                    return;
                }
                host.dropReplica(shard, table);
                LOG.debug("dropped replica table {} of shard {}", table, shard.id());
            } catch (RuntimeException e) {
                LOG.warn("could not drop replica table {}; it stays", table, e);
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
