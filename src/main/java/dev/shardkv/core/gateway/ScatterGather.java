package dev.shardkv.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.consistency.ReadPlanner;
import dev.shardkv.core.consistency.ReadTarget;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fans a query out to every shard in parallel — a healthy replica of each by default, the leaders
 * with strong — under one deadline, and merges. Cost grows with the number of shards; latency
 * should not, since the shards work at the same time.
 */
final class ScatterGather {
    /** Shards answer this long before the deadline, so their answers are back in time. */
    static final long SHARD_MARGIN_MS = 50;
    private final ShardClient shards;
    private final ReadPlanner planner;
    private final Clock clock;
    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();

    ScatterGather(ShardClient shards, ReadPlanner planner, Clock clock) {
        this.shards = shards;
        this.planner = planner;
        this.clock = clock;
    }

    QueryAnswer run(QueryRequest q, ShardMap map) {
        long started = clock.millis();
        long deadline = started + q.timeoutMs();
        int fingerprint = q.fingerprint().hashCode();
        Map<String, String> after = new LinkedHashMap<>();
        if (q.kind() == QueryKind.SCAN && q.cursor() != null && !q.cursor().isBlank()) {
            after.putAll(QueryCursor.decode(q.cursor(), map.epoch(), fingerprint).after());
        } else {
            map.shards().forEach(s -> after.put(s.id(), ""));
        }

        Map<String, Future<ShardResponse>> running = new LinkedHashMap<>();
        Map<String, Long> startedAt = new LinkedHashMap<>();
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
            startedAt.put(shard.id(), clock.millis());
            running.put(shard.id(), fanOut.submit(() -> ask(shard, sq, q.consistency(), map.epoch())));
        }

        List<QueryAnswer.ShardOutcome> outcomes = new ArrayList<>();
        Map<String, ShardQueryResult> answered = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Future<ShardResponse>> entry : running.entrySet()) {
            String id = entry.getKey();
            String status;
            String servedBy = null;
            ShardQueryResult result = null;
            try {
                ShardResponse response = entry.getValue().get(Math.max(0, deadline - clock.millis()), TimeUnit.MILLISECONDS);
                servedBy = response.servedBy();
                if (response.status() != ShardStatus.OK || response.query() == null) {
                    status = "error";
                } else {
                    result = response.query();
                    // A scan that stopped at its deadline still resumes exactly through the cursor.
                    status = result.complete() || q.kind() == QueryKind.SCAN ? "ok" : "timeout";
                }
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                status = "timeout";
            } catch (ExecutionException e) {
                status = "error";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = "error";
            }
            long ms = clock.millis() - startedAt.get(id);
            if (!status.equals("ok")) {
                missing.add(id);
            }
            if (result != null && (status.equals("ok") || q.kind() != QueryKind.SCAN)) {
                answered.put(id, result);
            }
            outcomes.add(new QueryAnswer.ShardOutcome(id, status, result == null ? 0 : result.count(), ms, servedBy));
        }
        boolean partial = !missing.isEmpty();
        long ms = clock.millis() - started;
        return switch (q.kind()) {
            case COUNT -> new QueryAnswer(List.of(), answered.entrySet().stream()
                    .filter(e -> !missing.contains(e.getKey())).mapToLong(e -> e.getValue().count()).sum(),
                    outcomes, partial, missing, null, ms);
            case TOP -> new QueryAnswer(top(q, answered), null, outcomes, partial, missing, null, ms);
            case SCAN -> page(q, map, after, answered, outcomes, missing, fingerprint, ms);
        };
    }

    private ShardResponse ask(ShardEntry shard, ShardQuery sq, Consistency consistency, long epoch) {
        ReadTarget target = consistency == Consistency.STRONG ? ReadTarget.LEADER
                : planner.choose(shard.id(), shard.replicaCount(), Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY);
        return target.isLeader()
                ? shards.writer(shard.id(), ShardRequest.query(sq, null, epoch))
                : shards.reader(shard.id(), ShardRequest.query(sq, target.replica(), epoch));
    }

    private static List<StoredItem> top(QueryRequest q, Map<String, ShardQueryResult> answered) {
        // A shard that stopped at its deadline still gives its best so far; the answer says partial.
        List<StoredItem> all = new ArrayList<>();
        answered.values().forEach(result -> all.addAll(result.items()));
        Comparator<StoredItem> byField = Comparator.comparing((StoredItem item) -> number(item, q.field()));
        all.sort(byField.reversed().thenComparing(StoredItem::key));
        return all.size() > q.limit() ? List.copyOf(all.subList(0, q.limit())) : all;
    }

    private static BigDecimal number(StoredItem item, String field) {
        JsonNode node = Filter.at(ValueCodec.tree(item.value()), field);
        return node == null || !node.isNumber() ? BigDecimal.ZERO : node.decimalValue();
    }

    /** Fills a page from the shards in map order; each shard's cursor moves past exactly what was handed out. */
    private static QueryAnswer page(QueryRequest q, ShardMap map, Map<String, String> after,
            Map<String, ShardQueryResult> answered, List<QueryAnswer.ShardOutcome> outcomes, List<String> missing,
            int fingerprint, long ms) {
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
        return new QueryAnswer(items, null, outcomes, !missing.isEmpty(), missing, cursor, ms);
    }
}
