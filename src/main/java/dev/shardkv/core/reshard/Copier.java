package dev.shardkv.core.reshard;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.Scannable;
import dev.shardkv.core.topology.RoutingKeys;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The copy phase of a reshard: a consistent parallel scan of a source leader, every item (tombstones
 * too) written to the target leader whose range holds it, with its version and commit time, by the apply
 * rule (only over an older version), so that a copy running again, or behind the catch-up, never takes
 * a key back. Resumable: each segment goes on from its cursor, reported after every page.
 */
public final class Copier {
    /** A segment's cursor once it is copied to the end. */
    public static final String DONE = "";

    /**
     * A target: its range and its table, written by the apply rule as a replica is.
     *
     * @param shared another process writes the table at the same time (an added replica's own replicator): each
     *               item goes under the rule's condition, since a batch's read-then-write could put an older
     *               version over the other writer's newer one. Otherwise the run is its only writer, and batches
     *               are safe.
     */
    public record Target(ShardEntry shard, ReplicaStore leader, boolean shared) {
        public Target(ShardEntry shard, ReplicaStore leader) {
            this(shard, leader, false);
        }
    }

    /** Told after every page: the segment, its new cursor, and how many items that page copied. */
    @FunctionalInterface
    public interface Progress {
        void page(int segment, String cursor, int copied);
    }

    private final LeaderStore source;
    private final RoutingMode routing;
    private final List<Target> targets;
    private final int segments;
    private final int pageSize;

    public Copier(LeaderStore source, RoutingMode routing, List<Target> targets, int segments, int pageSize) {
        this.source = source;
        this.routing = routing;
        this.targets = List.copyOf(targets);
        this.segments = segments;
        this.pageSize = pageSize;
    }

    /**
     * Copies what remains of every segment, all segments at once.
     *
     * @param cursors per segment, where it stopped (absent: from the start; {@link #DONE}: nothing left)
     * @return the cursors after the copy: every segment {@link #DONE}
     */
    public Map<Integer, String> copy(Map<Integer, String> cursors, Progress progress) {
        Map<Integer, String> after = new ConcurrentHashMap<>(cursors);
        try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int s = segment;
                running.add(lanes.submit(() -> copySegment(s, cursors.get(s), after, progress)));
            }
            for (Future<?> lane : running) {
                lane.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying", e);
        }
        return new LinkedHashMap<>(after);
    }

    private void copySegment(int segment, String from, Map<Integer, String> after, Progress progress) {
        String cursor = from;
        while (!DONE.equals(cursor)) {
            Scannable.ScanPage page = source.scanSegment(segment, segments, cursor, pageSize);
            int copied = write(page.items());
            cursor = page.lastEvaluatedKey() == null ? DONE : page.lastEvaluatedKey();
            after.put(segment, cursor);
            progress.page(segment, cursor, copied);
        }
    }

    /** One conditional write per item, all at once (a page is at most a few hundred). */
    private static void conditional(ReplicaStore table, List<StoredItem> items) {
        try (ExecutorService writes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (StoredItem item : items) {
                running.add(writes.submit(() -> table.apply(item)));
            }
            for (Future<?> write : running) {
                write.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying", e);
        }
    }

    /** Writes a page to the targets, each item to the one whose range holds its key; answers how many. */
    private int write(List<StoredItem> items) {
        Map<Target, List<StoredItem>> byTarget = new LinkedHashMap<>();
        for (StoredItem item : items) {
            String routingKey = RoutingKeys.of(routing, item.key());
            for (Target target : targets) {
                if (target.shard().covers(routingKey)) {
                    byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(item);
                }
            }
        }
        byTarget.forEach((target, batch) -> {
            if (target.shared()) {
                conditional(target.leader(), batch);
            } else {
                target.leader().applyAll(batch);
            }
        });
        return byTarget.values().stream().mapToInt(List::size).sum();
    }
}
