package dev.shardkv.core.reshard;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardSpec;
import dev.shardkv.core.topology.Topology;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits and merges where another process runs them (the resharder function on AWS): plans an operation
 * against the stored map, stores it with its locks, and wakes the runner. An abort is a request in the
 * store that the runner reads at its next save. The targets must already exist: on AWS Terraform makes
 * them from the topology's {@code staged} shards, so an operation on targets it never made is refused here,
 * before anything is stored.
 */
public final class RemoteReshards implements Reshards {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteReshards.class);
    private final Topology topology;
    private final ReshardPlanner planner;
    private final ControlStore control;
    private final OperationStore operations;
    private final Runnable wake;
    private final Clock clock;
    private final Duration abortWait;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param wake      starts the runner (an asynchronous invoke); a runner that is not woken still starts
     *                  within its schedule's period
     * @param abortWait how long an abort waits for the runner to end the operation before it answers
     */
    public RemoteReshards(Topology topology, ControlStore control, OperationStore operations, Runnable wake,
            Clock clock, Duration abortWait) {
        this.topology = topology;
        this.planner = new ReshardPlanner(topology);
        this.control = control;
        this.operations = operations;
        this.wake = wake;
        this.clock = clock;
        this.abortWait = abortWait;
    }

    @Override
    public Operation split(SplitRequest request) {
        return start(planner.split(map(), request));
    }

    @Override
    public Operation merge(MergeRequest request) {
        return start(planner.merge(map(), request));
    }

    /** The new replica's table comes from Terraform: the topology must give the shard that many replicas. */
    @Override
    public Operation addReplica(String shard) {
        Reshard plan = planner.addReplica(map(), shard);
        ShardEntry target = plan.targets().getFirst();
        int provisioned = topology.find(target.id()).map(ShardSpec::replicas).orElse(0);
        if (provisioned < target.replicaCount()) {
            throw new ShardKvException(ProblemType.SHARD_NOT_PROVISIONED, ("Shard \"%s\" is provisioned with %d"
                    + " replicas; table %s does not exist yet: set \"replicas\": %d for it in topology.json, run"
                    + " terraform apply, then start this again.").formatted(target.id(), provisioned,
                            target.replicas().getLast(), target.replicaCount()), Map.of("shard", target.id()));
        }
        return store(plan);
    }

    @Override
    public Operation removeReplica(String shard, int replica) {
        return store(planner.removeReplica(map(), shard, replica));
    }

    @Override
    public Operation verify(VerifyRequest request) {
        long now = clock.millis();
        Operation operation = Verifications.plan(map(), request, OperationIds.next(now, random), now);
        operations.create(operation);
        wakeRunner();
        return operation;
    }

    @Override
    public Operation get(String id) {
        return operations.get(id).orElseThrow(() -> new ShardKvException(ProblemType.UNKNOWN_OPERATION,
                "There is no operation " + id + "; GET /v1/admin/operations lists them.", Map.of("operation", String.valueOf(id))));
    }

    @Override
    public List<Operation> list() {
        return operations.list();
    }

    /** Asks the runner to abort and waits up to abortWait for it; answers the operation as it is then. */
    @Override
    public Operation abort(String id) {
        Operation operation = get(id);
        operation.abort(clock.millis()); // refused (409) unless before the cutover
        operations.requestAbort(id);
        wakeRunner();
        long deadline = clock.millis() + abortWait.toMillis();
        while (operation.isActive() && clock.millis() < deadline) {
            pause();
            operation = get(id);
        }
        return operation;
    }

    private Operation start(Reshard plan) {
        plan.targets().forEach(this::requireProvisioned);
        return store(plan);
    }

    private Operation store(Reshard plan) {
        long now = clock.millis();
        Operation operation = Operation.start(OperationIds.next(now, random), plan, now);
        operations.create(operation);
        wakeRunner();
        return operation;
    }

    /** A target's tables and functions come from Terraform: its id must be a shard of the topology (staged or not). */
    private void requireProvisioned(ShardEntry target) {
        Optional<ShardSpec> spec = topology.find(target.id());
        String entry = "{\"id\": \"%s\", \"replicas\": %d}".formatted(target.id(), target.replicas().size());
        if (spec.isEmpty()) {
            throw new ShardKvException(ProblemType.SHARD_NOT_PROVISIONED, ("Shard \"%s\" has no tables or functions"
                    + " yet: add %s to \"staged\" in topology.json, run terraform apply, then start this again.")
                    .formatted(target.id(), entry), Map.of("shard", target.id()));
        }
        if (spec.get().replicas() != target.replicas().size()) {
            throw new ShardKvException(ProblemType.SHARD_NOT_PROVISIONED, ("Shard \"%s\" is provisioned with %d"
                    + " replicas but this operation gives it %d: stage it as %s, run terraform apply, then start"
                    + " this again.").formatted(target.id(), spec.get().replicas(), target.replicas().size(), entry),
                    Map.of("shard", target.id()));
        }
    }

    private void wakeRunner() {
        try {
            wake.run();
        } catch (RuntimeException e) {
            LOG.warn("could not wake the resharder; its schedule starts it within a minute", e);
        }
    }

    private ShardMap map() {
        return control.loadShardMap().orElseThrow(() -> new IllegalStateException("no shard map stored"));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the abort", e);
        }
    }
}
