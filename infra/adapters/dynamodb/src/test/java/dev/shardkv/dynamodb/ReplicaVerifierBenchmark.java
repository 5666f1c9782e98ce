package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.verify.ReplicaVerifier;
import dev.shardkv.core.verify.VerifyReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * Not part of the suite (tag {@code benchmark}): a verification of a 100,000-item replica against its leader on
 * DynamoDB Local, against a plain 4-segment parallel scan of the same two tables, clean and with one item
 * differing. Run: {@code ./mvnw -pl infra/adapters/dynamodb -am test -Dtest=ReplicaVerifierBenchmark
 * -Dtest.excluded.groups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class ReplicaVerifierBenchmark {
    static final int ITEMS = Integer.getInteger("verify.bench.items", 100_000);
    static final int SEGMENTS = 4;

    @Test
    void verifyAgainstARawParallelScan() throws Exception {
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(null, true);
        try {
            DynamoDbClient dynamo = local.dynamoDbClient();
            new TableProvisioner(dynamo).create("bench-leader", false);
            new TableProvisioner(dynamo).create("bench-replica-1", false);
            long loadStart = System.nanoTime();
            load(dynamo, List.of("bench-leader", "bench-replica-1"));
            System.out.printf("bench: loaded %,d items into each table in %d ms%n", ITEMS, ms(loadStart));
            DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, "bench-leader");
            DynamoReplicaStore replica = new DynamoReplicaStore(dynamo, "bench-replica-1");
            replica.saveWatermark(new Watermark(System.currentTimeMillis(), "seq", System.currentTimeMillis()));
            ReplicaVerifier verifier = new ReplicaVerifier("bench", leader, replica, Clock.systemUTC(),
                    ReplicaVerifier.Settings.DEFAULT);

            for (int round = 1; round <= 2; round++) {
                long start = System.nanoTime();
                long scanned = rawScan(dynamo, "bench-leader", true) + rawScan(dynamo, "bench-replica-1", false);
                long raw = ms(start);
                VerifyReport clean = verifier.verify(false);
                System.out.printf("bench round %d: raw parallel scan of both tables %d ms (%,d items, leader then replica);"
                        + " verify %d ms (scanned %,d, compared %,d, itemsRead %d, differences %d)%n",
                        round, raw, scanned, clean.elapsedMs(), clean.scanned(), clean.compared(), clean.itemsRead(),
                        clean.differences());
                assertThat(clean.clean()).isTrue();
            }
            VerifyReport bigPages = new ReplicaVerifier("bench", leader, replica, Clock.systemUTC(),
                    ReplicaVerifier.Settings.DEFAULT.withPageSize(10_000)).verify(false);
            System.out.printf("bench: verify with pages of 10,000: %d ms%n", bigPages.elapsedMs());

            replica.replace("k-77777", 2L, StoredItem.live("k-77777", "\"old\"", 1, 1_000));
            VerifyReport one = verifier.verify(false);
            System.out.printf("bench: one older item: verify %d ms, different %d, itemsRead %d%n",
                    one.elapsedMs(), one.different(), one.itemsRead());
            VerifyReport repaired = verifier.verify(true);
            System.out.printf("bench: repair %d ms, repaired %d, itemsRead %d%n",
                    repaired.elapsedMs(), repaired.repaired(), repaired.itemsRead());
            assertThat(one.different()).isEqualTo(1);
            assertThat(repaired.repaired()).isEqualTo(1);
        } finally {
            local.shutdownNow();
        }
    }

    /** Items of about 150 bytes, version 2, written to every table alike, 25 per batch on a few threads. */
    static void load(DynamoDbClient dynamo, List<String> tables) throws Exception {
        try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int from = 0; from < ITEMS; from += 1_000) {
                int first = from;
                done.add(writers.submit(() -> {
                    for (int batch = first; batch < Math.min(ITEMS, first + 1_000); batch += 25) {
                        List<WriteRequest> writes = new ArrayList<>();
                        for (int i = batch; i < Math.min(ITEMS, batch + 25); i++) {
                            StoredItem item = StoredItem.live("k-" + i,
                                    "{\"n\":" + i + ",\"name\":\"user " + i + "\",\"tags\":[\"a\",\"b\",\"c\"],\"pad\":\""
                                            + "x".repeat(64) + "\"}", 2, 1_700_000_000_000L + i);
                            writes.add(WriteRequest.builder().putRequest(p -> p.item(ItemAttributes.toItem(item))).build());
                        }
                        for (String table : tables) {
                            Map<String, List<WriteRequest>> pending = Map.of(table, writes);
                            while (!pending.isEmpty()) {
                                Map<String, List<WriteRequest>> request = pending;
                                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    /** Every item of the table, whole, in 4 segments at once: what any full read of it costs at least. */
    static long rawScan(DynamoDbClient dynamo, String table, boolean consistent) throws Exception {
        AtomicLong items = new AtomicLong();
        try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SEGMENTS; s++) {
                int segment = s;
                running.add(lanes.submit(() -> {
                    Map<String, AttributeValue> start = null;
                    do {
                        ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(consistent)
                                .segment(segment).totalSegments(SEGMENTS);
                        if (start != null) {
                            request.exclusiveStartKey(start);
                        }
                        ScanResponse page = dynamo.scan(request.build());
                        items.addAndGet(page.count());
                        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                    } while (start != null);
                    return null;
                }));
            }
            for (Future<?> lane : running) {
                lane.get();
            }
        }
        return items.get();
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
