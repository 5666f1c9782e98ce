package dev.shardkv.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.consistency.ReadPlanner;
import dev.shardkv.core.consistency.ReadTarget;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.query.Filter;
import dev.shardkv.core.query.QueryKind;
import dev.shardkv.core.query.ShardQuery;
import dev.shardkv.core.query.ShardQueryResult;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Fans a query out to every shard in parallel — a healthy replica of each by default, the leaders
 * with strong — under one deadline, and merges answers as they arrive. Cost grows with the number of
 * shards; latency should not, since the shards work at the same time.
 *
 * <p>Admission: at most {@code maxQueries} queries run at once; the next waits briefly for a slot and
 * is then refused with 429 and Retry-After, so a query storm cannot take the store from the
 * key-value path (the shard side bounds concurrent scan pages as well, see ScanLanes).
 */
final class ScatterGather implements AutoCloseable {
    /** Shards answer this long before the deadline, so their answers are back in time. */
    static final long SHARD_MARGIN_MS = 50;
    /** How long a query waits for a slot before it is refused. */
    static final long ADMISSION_WAIT_MS = 100;
    static final int RETRY_AFTER_S = 1;

    private final ShardClient shards;
    private final ReadPlanner planner;
    private final Clock clock;
    private final Semaphore slots;
    private final int maxQueries;
    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();

    ScatterGather(ShardClient shards, ReadPlanner planner, Clock clock, int maxQueries) {
        this.shards = shards;
        this.planner = planner;
        this.clock = clock;
        this.maxQueries = maxQueries;
        this.slots = new Semaphore(maxQueries, true);
    }

    QueryAnswer run(QueryRequest q, ShardMap map) {
        admit();
        try {
            return gather(q, map);
        } finally {
            slots.release();
        }
    }

    private void admit() {
        try {
            if (slots.tryAcquire(ADMISSION_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ShardKvException(ProblemType.OVERLOADED,
                "%d queries are running, the most this gateway runs at once; retry after %d s."
                        .formatted(maxQueries, RETRY_AFTER_S),
                Map.of("limit", maxQueries, "retryAfter", RETRY_AFTER_S));
    }

    private QueryAnswer gather(QueryRequest q, ShardMap map) {
        long started = clock.millis();
        long deadline = started + q.timeoutMs();
        int fingerprint = q.fingerprint().hashCode();
        Map<String, String> after = resumeFrom(q, map, fingerprint);
        CompletionService<Answer> done = new ExecutorCompletionService<>(fanOut);
        Map<String, Future<Answer>> running = fanOut(q, map, after, deadline, done);
        Merge merge = new Merge(q);
        Map<String, QueryAnswer.ShardOutcome> outcomes = collect(running.size(), done, deadline, merge);
        List<String> missing = new ArrayList<>();
        List<QueryAnswer.ShardOutcome> ordered = new ArrayList<>();
        for (Map.Entry<String, Future<Answer>> entry : running.entrySet()) {
            QueryAnswer.ShardOutcome outcome = outcomes.get(entry.getKey());
            if (outcome == null) {
                entry.getValue().cancel(true);
                outcome = new QueryAnswer.ShardOutcome(entry.getKey(), "timeout", 0, clock.millis() - started, null);
            }
            if (!outcome.status().equals("ok")) {
                missing.add(entry.getKey());
            }
            ordered.add(outcome);
        }
        long ms = clock.millis() - started;
        boolean partial = !missing.isEmpty();
        return switch (q.kind()) {
            case COUNT -> new QueryAnswer(List.of(), merge.count, ordered, partial, missing, null, ms, merge.undecodable);
            case TOP -> new QueryAnswer(merge.top(), null, ordered, partial, missing, null, ms, merge.undecodable);
            case SCAN -> page(q, map, after, merge.pages, ordered, missing, fingerprint, ms, merge.undecodable);
        };
    }

    /** Where each shard's part starts: after the cursor's key for a next scan page, else from its beginning (""). */
    private static Map<String, String> resumeFrom(QueryRequest q, ShardMap map, int fingerprint) {
        Map<String, String> after = new LinkedHashMap<>();
        if (q.kind() == QueryKind.SCAN && q.cursor() != null && !q.cursor().isBlank()) {
            after.putAll(QueryCursor.decode(q.cursor(), map.epoch(), fingerprint).after());
        } else {
            map.shards().forEach(s -> after.put(s.id(), ""));
        }
        return after;
    }

    /** Asks every shard that still has a part, at once. */
    private Map<String, Future<Answer>> fanOut(QueryRequest q, ShardMap map, Map<String, String> after, long deadline,
            CompletionService<Answer> done) {
        Map<String, Future<Answer>> running = new LinkedHashMap<>();
        // A scan page asks each shard for its share of the page, not for a whole page each: the work of
        // a page stays the page size whatever the shard count. A short page is not the end; a null cursor is.
        int perShard = q.kind() == QueryKind.SCAN ? (q.limit() + after.size() - 1) / Math.max(1, after.size()) : q.limit();
        for (ShardEntry shard : map.shards()) {
            if (!after.containsKey(shard.id())) {
                continue; // this scan is done with the shard
            }
            String resume = after.get(shard.id());
            ShardQuery sq = new ShardQuery(q.kind(), q.prefix(), q.filter(), q.field(), perShard,
                    resume.isEmpty() ? null : resume, deadline - SHARD_MARGIN_MS);
            running.put(shard.id(), done.submit(() -> ask(shard, sq, q.consistency(), map.epoch())));
        }
        return running;
    }

    /** Merges the answers as they come, until all came or the deadline: whoever has not answered is missing. */
    private Map<String, QueryAnswer.ShardOutcome> collect(int count, CompletionService<Answer> done, long deadline,
            Merge merge) {
        Map<String, QueryAnswer.ShardOutcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Future<Answer> next;
            try {
                next = done.poll(Math.max(0, deadline - clock.millis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (next == null) {
                break;
            }
            Answer answer = answerOf(next);
            outcomes.put(answer.shard(), merge.add(answer));
        }
        return outcomes;
    }

    /** One shard's answer, or how it failed, with how long it took. */
    private record Answer(String shard, ShardResponse response, long ms, boolean failed) {
    }

    private Answer ask(ShardEntry shard, ShardQuery sq, Consistency consistency, long epoch) {
        long started = clock.millis();
        try {
            ReadTarget target = consistency == Consistency.STRONG ? ReadTarget.LEADER
                    : planner.choose(shard, Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY);
            ShardResponse response = target.isLeader()
                    ? shards.writer(shard.id(), ShardRequest.query(sq, null, epoch))
                    : shards.reader(shard.id(), ShardRequest.query(sq, target.replica(), epoch));
            return new Answer(shard.id(), response, clock.millis() - started, false);
        } catch (RuntimeException e) {
            return new Answer(shard.id(), null, clock.millis() - started, true);
        }
    }

    private static Answer answerOf(Future<Answer> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a shard query task failed", e.getCause()); // ask() catches everything
        }
    }

    /**
     * Merges shard answers as they arrive: counts add up, a top keeps only the best n in a heap (so a
     * query holds n items, not n per shard), scan pages are kept per shard for the page in map order.
     */
    private static final class Merge {
        private final QueryRequest q;
        private final PriorityQueue<Ranked> best = new PriorityQueue<>(Ranked.ORDER);
        private final Map<String, ShardQueryResult> pages = new LinkedHashMap<>();
        private final List<QueryAnswer.Undecodable> undecodable = new ArrayList<>();
        private long count;

        Merge(QueryRequest q) {
            this.q = q;
        }

        QueryAnswer.ShardOutcome add(Answer answer) {
            ShardResponse response = answer.response();
            String servedBy = response == null ? null : response.servedBy();
            if (answer.failed() || response.status() != ShardStatus.OK || response.query() == null) {
                return new QueryAnswer.ShardOutcome(answer.shard(), "error", 0, answer.ms(), servedBy);
            }
            ShardQueryResult result = response.query();
            result.undecodable().forEach(key -> undecodable.add(new QueryAnswer.Undecodable(key, answer.shard(), servedBy)));
            // A scan that stopped at its deadline still resumes exactly through the cursor.
            String status = result.complete() || q.kind() == QueryKind.SCAN ? "ok" : "timeout";
            switch (q.kind()) {
                case COUNT -> {
                    if (status.equals("ok")) {
                        count += result.count();
                    }
                }
                // A shard that stopped at its deadline still gives its best so far; the answer says partial.
                case TOP -> result.items().forEach(this::rank);
                case SCAN -> pages.put(answer.shard(), result);
            }
            return new QueryAnswer.ShardOutcome(answer.shard(), status, result.count(), answer.ms(), servedBy);
        }

        private void rank(StoredItem item) {
            JsonNode value = ValueCodec.treeOrNull(item.value());
            JsonNode node = value == null ? null : Filter.at(value, q.field());
            best.add(new Ranked(item, node == null || !node.isNumber() ? BigDecimal.ZERO : node.decimalValue()));
            if (best.size() > q.limit()) {
                best.poll();
            }
        }

        List<StoredItem> top() {
            List<Ranked> ranked = new ArrayList<>(best);
            ranked.sort(Ranked.ORDER.reversed());
            return ranked.stream().map(Ranked::item).toList();
        }
    }

    /** Ranked by the number, then (for a stable answer) the lower key first. */
    private record Ranked(StoredItem item, BigDecimal number) {
        static final Comparator<Ranked> ORDER = Comparator.comparing(Ranked::number)
                .thenComparing((Ranked r) -> r.item().key(), Comparator.reverseOrder());
    }

    /** Fills a page from the shards in map order; each shard's cursor moves past exactly what was handed out. */
    private static QueryAnswer page(QueryRequest q, ShardMap map, Map<String, String> after,
            Map<String, ShardQueryResult> answered, List<QueryAnswer.ShardOutcome> outcomes, List<String> missing,
            int fingerprint, long ms, List<QueryAnswer.Undecodable> undecodable) {
        List<StoredItem> items = new ArrayList<>();
        Map<String, String> next = new LinkedHashMap<>(after);
        for (ShardEntry shard : map.shards()) {
            ShardQueryResult result = answered.get(shard.id());
            if (result == null) {
                continue; // not asked (done) or no answer: its cursor stays where it was
            }
            int room = q.limit() - items.size();
            if (room <= 0) {
                continue; // page full: this shard is asked again next page, from the same place
            }
            List<StoredItem> found = result.items();
            if (found.size() <= room) {
                items.addAll(found);
                if (result.last() == null) {
                    next.remove(shard.id()); // done
                } else {
                    next.put(shard.id(), result.last());
                }
            } else {
                items.addAll(found.subList(0, room));
                next.put(shard.id(), found.get(room - 1).key());
            }
        }
        String cursor = next.isEmpty() ? null : new QueryCursor(map.epoch(), fingerprint, next).encode();
        return new QueryAnswer(items, null, outcomes, !missing.isEmpty(), missing, cursor, ms, undecodable);
    }

    @Override
    public void close() {
        fanOut.shutdownNow();
    }
}
