package dev.shardkv.core.reshard;

import dev.shardkv.core.assembly.Stores;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.store.ChangeFeed;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.verify.ReplicaVerifier;
import dev.shardkv.core.verify.VerificationListener;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs splits and merges: plans one against the current map, stores it with its shard locks, and drives
 * its phases in the background ({@link OperationRun}). A runtime that starts again picks up every
 * operation that had not ended ({@link #resumeAll}).
 */
public final class Resharder implements Reshards, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Resharder.class);

    /**
     * @param segments     how many parallel scan segments the copy reads each source in
     * @param pageSize     items per scan page (copy and verify)
     * @param catchUpWait  how long the sources may stay frozen, waiting for the catch-up, before a cutover gives up
     * @param cutovers     how many cutovers are tried before the operation fails
     * @param saveEvery    how often progress is saved while a phase runs
     * @param pollInterval how often the catch-up polls the sources' streams once at their tail
     * @param skew         how far writers' clocks may be off (Lambda's are kept by the Amazon Time Sync
     *                     Service, within a millisecond): the catch-up leaves records older than the
     *                     operation by more than this to the copy
     * @param grace        how long a retired source keeps its tables, for readers holding the old map
     * @param replicasWait how long the cutover waits for the targets' replicas to come within a second of
     *                     their leaders before it goes ahead anyway
     */
    public record Settings(int segments, int pageSize, Duration catchUpWait, int cutovers, Duration saveEvery,
            Duration pollInterval, Duration skew, Duration grace, Duration replicasWait) {
        public static final Settings DEFAULT = new Settings(4, 200, Duration.ofSeconds(2), 3, Duration.ofMillis(500),
                Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60));

        public Settings withGrace(Duration next) {
            return new Settings(segments, pageSize, catchUpWait, cutovers, saveEvery, pollInterval, skew, next,
                    replicasWait);
        }

        public Settings withPageSize(int next) {
            return new Settings(segments, next, catchUpWait, cutovers, saveEvery, pollInterval, skew, grace,
                    replicasWait);
        }

        public Settings withReplicasWait(Duration next) {
            return new Settings(segments, pageSize, catchUpWait, cutovers, saveEvery, pollInterval, skew, grace, next);
        }
    }

    /** What every run of this runtime shares. */
    record Context(ReshardPlanner planner, Stores stores, ControlStore control, OperationStore operations,
            ChangeFeed.Source feeds, ShardHost host, Clock clock, Settings settings, ReplicaVerifier.Settings verifier,
            VerificationStore verifications, VerificationListener verified) {
    }

    private final Context context;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private final Retirements retirements;

    public Resharder(Topology topology, Stores stores, ChangeFeed.Source feeds, ShardHost host, Clock clock,
            Settings settings) {
        this(topology, stores, feeds, host, clock, settings, VerificationListener.NONE);
    }

    /** @param verified told each replica's verification as it ends (the resharder function's metric) */
    public Resharder(Topology topology, Stores stores, ChangeFeed.Source feeds, ShardHost host, Clock clock,
            Settings settings, VerificationListener verified) {
        this(topology, stores, feeds, host, clock, settings, verified, ReplicaVerifier.Settings.DEFAULT);
    }

    /** @param verifier how verifications (and an added replica's verify phase) scan */
    public Resharder(Topology topology, Stores stores, ChangeFeed.Source feeds, ShardHost host, Clock clock,
            Settings settings, VerificationListener verified, ReplicaVerifier.Settings verifier) {
        this.context = new Context(new ReshardPlanner(topology), stores, stores.control(topology.controlTable()),
                stores.operations(topology.controlTable()), feeds, host, clock, settings, verifier,
                stores.verifications(topology.controlTable()), verified);
        this.retirements = new Retirements(host, settings.grace(), this::inUse, this::inUse);
    }

    @Override
    public Operation split(SplitRequest request) {
        return start(context.planner().split(map(), request));
    }

    @Override
    public Operation merge(MergeRequest request) {
        return start(context.planner().merge(map(), request));
    }

    @Override
    public Operation addReplica(String shard) {
        return start(context.planner().addReplica(map(), shard));
    }

    @Override
    public Operation removeReplica(String shard, int replica) {
        return start(context.planner().removeReplica(map(), shard, replica));
    }

    @Override
    public Operation verify(VerifyRequest request) {
        ShardMap map = map();
        Operation operation = Verifications.plan(map, request, OperationIds.next(context.clock().millis(), random),
                context.clock().millis());
        context.operations().create(operation);
        launch(operation);
        return operation;
    }

    @Override
    public Operation get(String id) {
        return context.operations().get(id).orElseThrow(() -> new ShardKvException(ProblemType.UNKNOWN_OPERATION,
                "There is no operation " + id + "; GET /v1/admin/operations lists them.", Map.of("operation", String.valueOf(id))));
    }

    @Override
    public List<Operation> list() {
        return context.operations().list();
    }

    @Override
    public Operation abort(String id) {
        Operation operation = get(id);
        operation.abort(context.clock().millis()); // refused (409) unless before the cutover
        Run run = running.get(id);
        if (run != null) {
            Operation ended = run.abort();
            if (ended.state() != OperationState.ABORTED) {
                ended.abort(context.clock().millis()); // it reached the cutover first: refused, 409
            }
            return ended;
        }
        // Nothing runs it here (a runtime stopped before it started it again): abort it in place.
        return operation.kind() == OperationKind.ADD_REPLICA
                ? new ReplicaRun(context, operation, running::remove, retirements).abortIdle()
                : new OperationRun(context, operation, running::remove, retirements).abortIdle();
    }

    /**
     * Starts again every operation that had not ended when this runtime (or another) stopped, and retires
     * again the sources of done ones (a stop within their grace left their tables; dropping twice is harmless).
     * Answers how many operations had not ended.
     */
    public int resumeAll() {
        int active = 0;
        for (Operation operation : context.operations().list()) {
            if (operation.isActive()) {
                active++;
            }
            if (operation.isActive() && !running.containsKey(operation.id())) {
                LOG.info("resuming {} ({}, {})", operation.id(), operation.kind(), operation.state());
                launch(operation);
            } else if (operation.state() == OperationState.DONE && operation.kind() == OperationKind.REMOVE_REPLICA) {
                retirements.retire(operation.targets().getFirst(), operation.replicaTable());
            } else if (operation.state() == OperationState.DONE && operation.kind().movesTheMap()
                    && !operation.kind().changesReplicas()) {
                operation.sources().forEach(retirements::retire);
            }
        }
        return active;
    }

    /** Whether no operation runs here now. */
    public boolean idle() {
        return running.isEmpty();
    }

    /** Stops the runs where they are, without ending them: they resume on the next start. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Stops the runs where they are, waiting up to {@code wait} in all for their threads to end. Whether they
     * all did: one that did not may still write, so a caller that hands its operations on (the resharder
     * function, to its next invocation) must not go on as if it were stopped.
     */
    public boolean close(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean stopped = true;
        for (Run run : List.copyOf(running.values())) {
            stopped &= run.stop(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        retirements.close();
        return stopped;
    }

    private Operation start(Reshard plan) {
        long now = context.clock().millis();
        Operation operation = Operation.start(OperationIds.next(now, random), plan, now);
        context.operations().create(operation);
        launch(operation);
        return operation;
    }

    private void launch(Operation operation) {
        Run run = switch (operation.kind()) {
            case VERIFY -> new VerifyRun(context, operation, running::remove);
            case ADD_REPLICA, REMOVE_REPLICA -> new ReplicaRun(context, operation, running::remove, retirements);
            case SPLIT, MERGE -> new OperationRun(context, operation, running::remove, retirements);
        };
        running.put(operation.id(), run);
        run.start();
    }

    private boolean inUse(ShardEntry shard) {
        return map().shards().stream().anyMatch(s -> s.leader().equals(shard.leader()))
                || list().stream().filter(Operation::isActive).flatMap(o -> o.targets().stream())
                        .anyMatch(t -> t.leader().equals(shard.leader()));
    }

    /** Whether a replica table belongs to a live shard, or to an active operation's target, by now (re-added). */
    private boolean inUse(String replicaTable) {
        return map().shards().stream().anyMatch(s -> s.replicas().contains(replicaTable))
                || list().stream().filter(Operation::isActive).flatMap(o -> o.targets().stream())
                        .anyMatch(t -> t.replicas().contains(replicaTable));
    }

    private ShardMap map() {
        return context.control().loadShardMap().orElseThrow(() -> new IllegalStateException("no shard map stored"));
    }
}
