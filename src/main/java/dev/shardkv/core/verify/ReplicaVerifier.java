package dev.shardkv.core.verify;

import dev.shardkv.core.kv.ItemVersion;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.store.VersionScannable.VersionPage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Compares one replica table with its shard's leader, and repairs it if asked: what the apply rule can never
 * mend (an item written straight into the replica, at a forged higher version, an older one, a key deleted or
 * added) would otherwise stay forever.
 *
 * <p>Both tables are scanned segment by segment in parallel, keys and versions only (no values). A segment's
 * leader versions are held in memory while the same segment of the replica streams past them; only the keys
 * whose versions disagree are read in full, and re-checked against the current leader and replica before
 * anything is counted or written, so a write landing between the two scans is never taken for a difference.
 * A key falls in the same segment on both tables (DynamoDB segments by the key's hash); were it not so, a key
 * would show up as a candidate on both sides and the re-check would find it equal, costing reads, not results.
 */
public final class ReplicaVerifier {

    /**
     * @param segments         how many segments are scanned at once (each on a virtual thread)
     * @param itemsPerSegment  a table larger than {@code segments} times this is cut into more segments, so that
     *                         no more than about this many leader versions per lane are held in memory
     * @param pageSize         items per scan page
     * @param inFlightMarginMs a leader's commit this close behind the replica's watermark is still in flight
     * @param examples         keys kept per kind of finding
     */
    public record Settings(int segments, int itemsPerSegment, int pageSize, long inFlightMarginMs, int examples) {
        public static final Settings DEFAULT = new Settings(4, 100_000, 1_000, 1_000, 5);

        public Settings {
            if (segments < 1 || itemsPerSegment < 1 || pageSize < 1 || inFlightMarginMs < 0 || examples < 0) {
                throw new IllegalArgumentException("verify settings out of range: " + segments + " segments, "
                        + itemsPerSegment + " items per segment, page " + pageSize + ", margin " + inFlightMarginMs
                        + " ms, " + examples + " examples");
            }
        }

        public Settings withSegments(int next) {
            return new Settings(next, itemsPerSegment, pageSize, inFlightMarginMs, examples);
        }

        public Settings withItemsPerSegment(int next) {
            return new Settings(segments, next, pageSize, inFlightMarginMs, examples);
        }

        public Settings withPageSize(int next) {
            return new Settings(segments, itemsPerSegment, next, inFlightMarginMs, examples);
        }

        public Settings withInFlightMarginMs(long next) {
            return new Settings(segments, itemsPerSegment, pageSize, next, examples);
        }
    }

    /** DynamoDB's limit on a parallel scan's segments. */
    private static final int MAX_SEGMENTS = 1_000_000;
    /** Keys re-checked per round: one BatchGetItem on each table. */
    private static final int RECHECK_BATCH = 100;

    private final String shard;
    private final LeaderStore leader;
    private final ReplicaStore replica;
    private final Clock clock;
    private final Settings settings;

    public ReplicaVerifier(String shard, LeaderStore leader, ReplicaStore replica, Clock clock, Settings settings) {
        this.shard = shard;
        this.leader = leader;
        this.replica = replica;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * How far a verification of one replica has got: segments {@code [0, done)} of {@code segments} are compared,
     * their findings in {@code report}. A verification stopped after a save goes on from here, so one longer than
     * a run (a resharder invocation) still ends; the segments after {@code done} that had ended are compared again.
     */
    public record Checkpoint(int segments, int done, VerifyReport report) {
        public Checkpoint {
            if (segments < 1 || done < 0 || done > segments) {
                throw new IllegalArgumentException("checkpoint at " + done + " of " + segments + " segments");
            }
        }
    }

    public VerifyReport verify(boolean repair) {
        return verify(repair, compared -> {
        });
    }

    /**
     * @param repair   write the leader's item over each difference (or remove an extra key), conditioned on the
     *                 state found; the leader is never written
     * @param progress told the number of keys compared so far, from the lanes' threads
     */
    public VerifyReport verify(boolean repair, LongConsumer progress) {
        return verify(repair, progress, null, checkpoint -> {
        });
    }

    /**
     * @param from  where an earlier run got to (null: from the start)
     * @param saved told each time the segments compared from the first on grow (from a lane's thread)
     */
    public VerifyReport verify(boolean repair, LongConsumer progress, Checkpoint from, Consumer<Checkpoint> saved) {
        long started = System.nanoTime();
        int segments = from == null ? segments(leader.approximateCount()) : from.segments();
        VerifyReport before = from == null ? VerifyReport.empty(shard, replica.table(), clock.millis()) : from.report();
        Commits commits = new Commits(segments, from == null ? 0 : from.done(), before, started, saved);
        AtomicLong compared = new AtomicLong(before.compared());
        AtomicInteger next = new AtomicInteger(commits.done);
        try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int lane = 0; lane < Math.min(settings.segments(), segments - commits.done); lane++) {
                running.add(lanes.submit(() -> {
                    for (int s = next.getAndIncrement(); s < segments; s = next.getAndIncrement()) {
                        Tally tally = new Tally(settings.examples(), progress, compared);
                        long at = clock.millis();
                        segment(s, segments, repair, tally);
                        commits.add(s, tally.report(shard, replica.table(), at, 0));
                    }
                }));
            }
            for (Future<?> lane : running) {
                lane.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying " + replica.table(), e);
        }
        return commits.report();
    }

    /** The segments' reports, folded in segment order: what lies below the first unfinished segment is kept. */
    private final class Commits {
        private final int segments;
        private final Map<Integer, VerifyReport> ended = new HashMap<>();
        private final long started;
        private final long elapsedBefore;
        private final Consumer<Checkpoint> saved;
        private int done;
        private VerifyReport report;

        Commits(int segments, int done, VerifyReport before, long started, Consumer<Checkpoint> saved) {
            this.segments = segments;
            this.done = done;
            this.report = before;
            this.started = started;
            this.elapsedBefore = before.elapsedMs();
            this.saved = saved;
        }

        synchronized void add(int segment, VerifyReport segmentReport) {
            ended.put(segment, segmentReport);
            int was = done;
            while (ended.containsKey(done)) {
                report = report.plus(ended.remove(done), settings.examples());
                done++;
            }
            if (done > was) {
                saved.accept(new Checkpoint(segments, done, report()));
            }
        }

        synchronized VerifyReport report() {
            long elapsed = elapsedBefore + (System.nanoTime() - started) / 1_000_000;
            return new VerifyReport(report.shard(), report.replica(), report.compared(), report.missing(),
                    report.different(), report.extra(), report.repaired(), report.inFlight(), report.itemsRead(),
                    report.scanned(), report.at(), report.examples(), elapsed);
        }
    }

    private int segments(long approximateCount) {
        long needed = (approximateCount + settings.itemsPerSegment() - 1) / settings.itemsPerSegment();
        return (int) Math.min(MAX_SEGMENTS, Math.max(settings.segments(), needed));
    }

    /** The leader's segment first, then the replica's: a write in between makes the replica look newer, never older. */
    private void segment(int segment, int segments, boolean repair, Tally tally) {
        long now = clock.millis();
        Map<String, Long> leaderVersions = new HashMap<>();
        String cursor = null;
        do {
            VersionPage page = leader.scanVersions(segment, segments, cursor, settings.pageSize(), true);
            tally.scanned(page.versions().size());
            for (ItemVersion version : page.versions()) {
                if (counts(version, now)) {
                    leaderVersions.put(version.key(), version.version());
                }
            }
            cursor = page.lastEvaluatedKey();
        } while (cursor != null);

        List<String> candidates = new ArrayList<>();
        do {
            // Eventually consistent: a stale page only adds candidates, which the re-check reads strongly.
            VersionPage page = replica.scanVersions(segment, segments, cursor, settings.pageSize(), false);
            tally.scanned(page.versions().size());
            int compared = 0;
            for (ItemVersion version : page.versions()) {
                if (counts(version, now)) {
                    compared++;
                    Long held = leaderVersions.remove(version.key());
                    if (held == null || held != version.version()) {
                        candidates.add(version.key());
                    }
                }
            }
            tally.compared(compared);
            cursor = page.lastEvaluatedKey();
        } while (cursor != null);
        candidates.addAll(leaderVersions.keySet());
        tally.compared(leaderVersions.size());
        leaderVersions.clear();

        for (int from = 0; from < candidates.size(); from += RECHECK_BATCH) {
            recheck(candidates.subList(from, Math.min(candidates.size(), from + RECHECK_BATCH)), repair, tally);
        }
    }

    /** Reserved keys are ShardKV's own; an expired tombstone is as good as gone (each table's TTL takes its own). */
    private static boolean counts(ItemVersion version, long now) {
        return !Keys.isReserved(version.key()) && !version.expiredAt(now);
    }

    /**
     * Reads the candidates again, leader, then the replica's watermark, then the replica (strongly), so that a
     * watermark past a leader's commit means the replica had applied it before it was read. A replica found
     * ahead of the leader is checked against the leader once more: a write may have landed and replicated in
     * between, and only a version above the leader's current one is one the leader never had.
     */
    private void recheck(List<String> keys, boolean repair, Tally tally) {
        Map<String, StoredItem> leaders = byKey(leader.getAll(keys));
        Watermark watermark = replica.watermark().orElse(null);
        Map<String, StoredItem> replicas = byKey(replica.getAllConsistent(keys));
        long read = leaders.size() + replicas.size();
        List<String> ahead = keys.stream().filter(key -> aheadOfLeader(replicas.get(key), leaders.get(key))).toList();
        if (!ahead.isEmpty()) {
            ahead.forEach(leaders::remove);
            List<StoredItem> again = leader.getAll(ahead);
            read += again.size();
            leaders.putAll(byKey(again));
        }
        tally.itemsRead(read);
        long now = clock.millis();
        for (String key : keys) {
            StoredItem onLeader = leaders.get(key);
            StoredItem onReplica = replicas.get(key);
            Verdict verdict = Verdict.of(onLeader, onReplica, watermark, now, settings.inFlightMarginMs());
            tally.found(verdict, key);
            if (repair && verdict.difference() && repair(key, onLeader, onReplica, verdict)) {
                tally.repaired();
            }
        }
    }

    /** Writes the leader's item (or removes an extra key) only over exactly what was found: never over a newer write. */
    private boolean repair(String key, StoredItem onLeader, StoredItem onReplica, Verdict verdict) {
        Long found = onReplica == null ? null : onReplica.version();
        return replica.replace(key, found, verdict == Verdict.EXTRA ? null : onLeader);
    }

    private static boolean aheadOfLeader(StoredItem onReplica, StoredItem onLeader) {
        return onReplica != null && (onLeader == null || onReplica.version() > onLeader.version());
    }

    private static Map<String, StoredItem> byKey(List<StoredItem> items) {
        Map<String, StoredItem> byKey = new HashMap<>();
        items.forEach(item -> byKey.put(item.key(), item));
        return byKey;
    }
}
