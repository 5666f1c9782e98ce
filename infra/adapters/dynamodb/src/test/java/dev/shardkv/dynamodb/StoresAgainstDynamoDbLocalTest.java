package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ApplyRule;
import dev.shardkv.core.replication.Watermark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * The DynamoDB adapters do what the pure rules say, on DynamoDB Local: the leader's conditional
 * expressions agree with {@link Precondition#holdsFor} on random operation sequences, and the
 * replica's conditional apply agrees with {@link ApplyRule} under duplicates and reordering.
 */
class StoresAgainstDynamoDbLocalTest {
    static AmazonDynamoDBLocal local;
    static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create(null, true);
        dynamo = local.dynamoDbClient();
        new TableProvisioner(dynamo).create("stores-leader", true);
        for (int i = 0; i < 3; i++) {
            new TableProvisioner(dynamo).create("stores-replica-" + i, false);
        }
    }

    @AfterAll
    static void stop() {
        local.shutdownNow();
    }

    @Test
    void leaderWritesAgreeWithTheModelOnRandomSequences() {
        DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, "stores-leader");
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            String key = "model-" + seed;
            StoredItem model = null;
            for (int step = 0; step < 25; step++) {
                long ts = step + 1;
                boolean delete = random.nextInt(3) == 0;
                Precondition pre = switch (random.nextInt(5)) {
                    case 0 -> Precondition.CREATE_ONLY;
                    case 1 -> Precondition.ifMatch(1 + random.nextInt(Math.max(1, (int) (model == null ? 1 : model.version() + 1))));
                    case 2 -> Precondition.LIVE;
                    default -> Precondition.NONE;
                };
                if (delete && pre.ifNoneMatch()) {
                    pre = Precondition.NONE; // the API refuses If-None-Match on DELETE before the store sees it
                }
                boolean live = model != null && model.isLive();
                long next = (model == null ? 0 : model.version()) + 1;
                WriteOutcome outcome = delete ? leader.delete(key, ts, 99, pre) : leader.put(key, "\"" + step + "\"", ts, pre);
                String where = "seed " + seed + " step " + step + " " + (delete ? "delete " : "put ") + pre;
                if (delete) {
                    if (live && pre.holdsFor(model)) {
                        assertThat(outcome).as(where).isEqualTo(new WriteOutcome.Deleted(StoredItem.tombstone(key, next, ts, 99)));
                        model = StoredItem.tombstone(key, next, ts, 99);
                    } else if (pre.hasIfMatch()) {
                        assertThat(outcome).as(where).isInstanceOf(WriteOutcome.PreconditionFailed.class);
                    } else {
                        assertThat(outcome).as(where).isInstanceOf(WriteOutcome.NotFound.class);
                    }
                } else if (pre.holdsFor(model)) {
                    assertThat(outcome).as(where)
                            .isEqualTo(new WriteOutcome.Written(StoredItem.live(key, "\"" + step + "\"", next, ts), !live));
                    model = StoredItem.live(key, "\"" + step + "\"", next, ts);
                } else {
                    assertThat(outcome).as(where).isInstanceOf(WriteOutcome.PreconditionFailed.class);
                    assertThat(((WriteOutcome.PreconditionFailed) outcome).current()).as(where).isEqualTo(model);
                }
                assertThat(leader.get(key).orElse(null)).as(where).isEqualTo(model);
            }
        }
    }

    @Test
    void aSegmentedScanReadsEveryClientItemOnceTombstonesIncludedAndNoReservedOne() {
        new TableProvisioner(dynamo).create("segments-leader", true);
        DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, "segments-leader");
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < 120; i++) {
            leader.put("seg-" + i, "{\"n\":" + i + "}", i + 1, Precondition.NONE);
            expected.add("seg-" + i);
        }
        leader.delete("seg-7", 500, 9_999, Precondition.NONE);
        dev.shardkv.core.store.Fence.freeze(leader, "op-x", 600);
        java.util.List<StoredItem> seen = new java.util.ArrayList<>();
        for (int segment = 0; segment < 4; segment++) {
            String cursor = null;
            do {
                var page = leader.scanSegment(segment, 4, cursor, 9);
                seen.addAll(page.items());
                cursor = page.lastEvaluatedKey();
            } while (cursor != null);
        }
        assertThat(seen).extracting(StoredItem::key).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(seen).filteredOn(i -> i.key().equals("seg-7")).singleElement()
                .satisfies(i -> assertThat(i.tombstone()).isTrue());
    }

    @Test
    void aMapIsPublishedOnlyOverTheEpochItWasPlannedFrom() {
        new TableProvisioner(dynamo).create("publish-control", false);
        DynamoControlStore control = new DynamoControlStore(dynamo, "publish-control");
        dev.shardkv.core.topology.Topology topology = dev.shardkv.core.topology.Topology.parse(
                "{\"prefix\":\"p\",\"shards\":[{\"id\":\"a-l\",\"end\":\"m\",\"replicas\":1},"
                        + "{\"id\":\"m-z\",\"start\":\"m\",\"replicas\":1}]}");
        dev.shardkv.core.topology.ShardMap first = control.seedShardMap(dev.shardkv.core.topology.ShardMap.initial(topology));
        dev.shardkv.core.topology.ShardMap next = new dev.shardkv.core.reshard.ReshardPlanner(topology)
                .split(first, new dev.shardkv.core.reshard.SplitRequest("a-l", "g", null)).next();
        assertThat(control.publish(next, 2)).as("not over a map it was not planned from").isFalse();
        assertThat(control.loadShardMap().orElseThrow().epoch()).isEqualTo(1);
        assertThat(control.publish(next, 1)).isTrue();
        assertThat(control.loadShardMap().orElseThrow()).isEqualTo(next);
        assertThat(control.publish(next, 1)).as("a second publish over the same epoch loses").isFalse();
    }

    @Test
    void concurrentWritersGetDistinctGaplessVersions() throws Exception {
        DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, "stores-leader");
        Set<Long> versions = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    var w = (WriteOutcome.Written) leader.put("hot", "1", System.currentTimeMillis(), Precondition.NONE);
                    assertThat(versions.add(w.item().version())).as("version %d handed out twice", w.item().version()).isTrue();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(versions).hasSize(400).allSatisfy(v -> assertThat(v).isBetween(1L, 400L));
    }

    @Test
    void replicasConvergeUnderDuplicatesAndReorderingAndNeverGoBack() {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            String key = "replica-model-" + seed;
            int n = 1 + random.nextInt(10);
            List<StoredItem> history = new ArrayList<>();
            for (int v = 1; v <= n; v++) {
                history.add(random.nextInt(3) == 0 ? StoredItem.tombstone(key, v, v, 500) : StoredItem.live(key, "" + v, v, v));
            }
            for (int r = 0; r < 3; r++) {
                DynamoReplicaStore replica = new DynamoReplicaStore(dynamo, "stores-replica-" + r);
                List<StoredItem> deliveries = new ArrayList<>(history);
                deliveries.addAll(history.subList(0, random.nextInt(n + 1)));
                Collections.shuffle(deliveries, random);
                StoredItem model = null;
                for (StoredItem incoming : deliveries) {
                    boolean accepts = ApplyRule.accepts(model, incoming);
                    ApplyResult result = replica.apply(incoming);
                    assertThat(result).as("seed %d", seed).isEqualTo(accepts ? ApplyResult.APPLIED : ApplyResult.ALREADY_APPLIED);
                    if (accepts) {
                        model = incoming;
                    }
                    assertThat(replica.get(key).orElse(null)).as("seed %d", seed).isEqualTo(model);
                }
                assertThat(model).isEqualTo(history.get(n - 1));
            }
        }
    }

    @Test
    void batchedAppliesFollowTheSameRuleAsSingleOnes() {
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            DynamoReplicaStore batched = new DynamoReplicaStore(dynamo, "stores-replica-1");
            DynamoReplicaStore single = new DynamoReplicaStore(dynamo, "stores-replica-2");
            // 240 deliveries over 60 keys: duplicates, replays, versions out of order, tombstones, more than one request's worth
            for (int round = 0; round < 3; round++) {
                List<StoredItem> batch = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    String key = "batch-" + seed + "-" + random.nextInt(60);
                    long v = 1 + random.nextInt(12);
                    batch.add(random.nextInt(4) == 0 ? StoredItem.tombstone(key, v, v, 500) : StoredItem.live(key, "" + v, v, v));
                }
                java.util.Map<String, StoredItem> before = new java.util.HashMap<>();
                batch.forEach(i -> before.put(i.key(), single.get(i.key()).orElse(null)));
                java.util.Map<String, ApplyResult> results = batched.applyAll(batch);
                for (StoredItem item : ApplyRule.newestPerKey(batch).values()) {
                    ApplyResult expected = ApplyRule.accepts(before.get(item.key()), item) ? ApplyResult.APPLIED
                            : ApplyResult.ALREADY_APPLIED;
                    assertThat(results.get(item.key())).as("seed %d key %s", seed, item.key()).isEqualTo(expected);
                }
                batch.forEach(single::apply); // one conditional put per delivery: the reference
                for (StoredItem item : batch) {
                    assertThat(batched.get(item.key())).as("seed %d key %s", seed, item.key()).isEqualTo(single.get(item.key()));
                }
            }
        }
    }

    @Test
    void aWatermarkNeverMovesBack() {
        DynamoReplicaStore replica = new DynamoReplicaStore(dynamo, "stores-replica-0");
        replica.saveWatermark(new Watermark(200, "20", 210));
        replica.saveWatermark(new Watermark(100, "10", 220)); // a late batch from another stream shard
        assertThat(replica.watermark()).contains(new Watermark(200, "20", 210));
        replica.saveWatermark(new Watermark(300, "30", 310));
        assertThat(replica.watermark()).contains(new Watermark(300, "30", 310));
    }
}
