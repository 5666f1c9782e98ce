package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.MergeRequest;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.reshard.SplitRequest;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link Reshards} of a runtime that may not run the reshard engine (yet): each call goes to the engine the
 * supplier gives at that moment, and while it gives none, every call is refused with 503 shard-unavailable
 * saying why. A producer cannot hand CDI a null bean, and the admin resource must deploy either way.
 */
public final class DeferredReshards implements Reshards {
    private final Supplier<Reshards> engine;
    private final String unavailable;

    /**
     * @param engine      the engine now, or null while there is none
     * @param unavailable the detail of the 503 while there is none
     */
    public DeferredReshards(Supplier<Reshards> engine, String unavailable) {
        this.engine = engine;
        this.unavailable = unavailable;
    }

    /** Never an engine: every call is a 503 with this detail. */
    public static DeferredReshards none(String unavailable) {
        return new DeferredReshards(() -> null, unavailable);
    }

    @Override
    public Operation split(SplitRequest request) {
        return engine().split(request);
    }

    @Override
    public Operation merge(MergeRequest request) {
        return engine().merge(request);
    }

    @Override
    public Operation get(String id) {
        return engine().get(id);
    }

    @Override
    public List<Operation> list() {
        return engine().list();
    }

    @Override
    public Operation abort(String id) {
        return engine().abort(id);
    }

    private Reshards engine() {
        Reshards now = engine.get();
        if (now == null) {
            throw new ShardKvException(ProblemType.SHARD_UNAVAILABLE, unavailable);
        }
        return now;
    }
}
