package dev.shardkv.core.gateway;

import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.verify.LastVerification;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's copy of the last verification of every replica in the shard map: which replicas are divergent
 * (held back from reads), and what {@code /v1/replication} and the metrics show. Re-read from the store at most
 * every {@link #MAX_AGE}, by one caller at a time while the others use the copy, as the shard map is: a
 * verification's verdict reaches every gateway within about a second. When the store cannot be read, the copy
 * stands (a divergent replica stays held back) and the next caller tries again a second later.
 */
public final class LastVerifications {
    private static final Logger LOG = LoggerFactory.getLogger(LastVerifications.class);
    /** How old the copy may get before a caller re-reads it. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    private record Copy(Map<String, LastVerification> byTable, Set<String> divergent) {
        static final Copy EMPTY = new Copy(Map.of(), Set.of());
    }

    private final VerificationStore store;
    private final Supplier<ShardMap> maps;
    private final Clock clock;
    private final long maxAgeMs;
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile Copy copy = Copy.EMPTY;
    private volatile long nextLoad = Long.MIN_VALUE;
    private volatile boolean failing;

    public LastVerifications(VerificationStore store, Supplier<ShardMap> maps, Clock clock) {
        this(store, maps, clock, MAX_AGE);
    }

    LastVerifications(VerificationStore store, Supplier<ShardMap> maps, Clock clock, Duration maxAge) {
        this.store = store;
        this.maps = maps;
        this.clock = clock;
        this.maxAgeMs = maxAge.toMillis();
    }

    /** The replica tables whose last verification left differences unrepaired (usually none). */
    public Set<String> divergent() {
        return current().divergent();
    }

    /** The replica table's last verification, if it has one. */
    public Optional<LastVerification> of(String replicaTable) {
        return Optional.ofNullable(current().byTable().get(replicaTable));
    }

    private Copy current() {
        if (clock.millis() >= nextLoad && loading.compareAndSet(false, true)) {
            try {
                load();
            } finally {
                nextLoad = clock.millis() + maxAgeMs;
                loading.set(false);
            }
        }
        return copy;
    }

    private void load() {
        List<String> tables = maps.get().shards().stream().flatMap(s -> s.replicas().stream()).toList();
        try {
            Map<String, LastVerification> found = Map.copyOf(store.last(tables));
            copy = new Copy(found, found.values().stream().filter(LastVerification::divergent)
                    .map(LastVerification::replica).collect(Collectors.toUnmodifiableSet()));
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) { // once per outage, not every second
                LOG.warn("cannot read the replicas' last verifications; keeping the ones read before", e);
            }
            failing = true;
        }
    }
}
