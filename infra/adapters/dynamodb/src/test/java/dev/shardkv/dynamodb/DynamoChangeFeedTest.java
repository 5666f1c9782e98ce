package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.store.ChangeFeed;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * A leader table's stream read as a change feed on DynamoDB Local (a fresh leader table per test): in
 * order, converted as the replicator converts it, at the tail once read up, and reopened from its positions.
 */
class DynamoChangeFeedTest {
    static final AtomicInteger TABLES = new AtomicInteger();
    static AmazonDynamoDBLocal local;
    static DynamoDbClient dynamo;
    static DynamoDbStreamsClient streams;
    String table;
    DynamoLeaderStore leader;
    ChangeFeed.Source source;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create(null, true);
        dynamo = local.dynamoDbClient();
        streams = local.dynamoDbStreamsClient();
    }

    @AfterAll
    static void stop() {
        local.shutdownNow();
    }

    @BeforeEach
    void leaderTable() {
        table = "feed-" + TABLES.incrementAndGet() + "-leader";
        new TableProvisioner(dynamo).create(table, true);
        leader = new DynamoLeaderStore(dynamo, table);
        source = DynamoChangeFeed.source(dynamo, streams);
    }

    @Test
    void recordsComeInStreamOrderWithTheirKindsAndVersions() {
        leader.put("order-1", "{\"n\":1}", 101, Precondition.NONE);
        leader.put("order-1", "{\"n\":2}", 102, Precondition.NONE);
        leader.delete("order-1", 103, 9_999, Precondition.NONE);
        dynamo.deleteItem(b -> b.tableName(table).key(ItemAttributes.key("order-1"))); // as TTL's purge would, by hand

        List<ChangeRecord> records;
        try (ChangeFeed feed = source.open(table, Map.of())) {
            records = feed.next().records();
        }

        assertThat(records).extracting(ChangeRecord::kind).containsExactly(ChangeRecord.Kind.UPSERT,
                ChangeRecord.Kind.UPSERT, ChangeRecord.Kind.UPSERT, ChangeRecord.Kind.REMOVE);
        assertThat(records).extracting(ChangeRecord::key).containsOnly("order-1");
        assertThat(records.subList(0, 3)).extracting(r -> r.item().version()).containsExactly(1L, 2L, 3L);
        assertThat(records.subList(0, 3)).extracting(ChangeRecord::commitTs).containsExactly(101L, 102L, 103L);
        assertThat(records.get(1).item().value()).isEqualTo("{\"n\":2}");
        assertThat(records.get(2).item().tombstone()).isTrue();
        assertThat(records.get(3).oldVersion()).isEqualTo(3L);
        assertThat(records).extracting(r -> new BigInteger(r.sequenceNumber())).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aPageIsAtTheTailOnlyOnceEveryShardIsReadUp() {
        for (int i = 1; i <= 5; i++) {
            leader.put("k" + i, "{}", i, Precondition.NONE);
        }
        try (ChangeFeed feed = new DynamoChangeFeed(streams, new TableProvisioner(dynamo).streamArn(table), Map.of(), 2)) {
            List<ChangeFeed.Page> pages = List.of(feed.next(), feed.next(), feed.next(), feed.next());

            assertThat(pages).extracting(p -> p.records().size()).containsExactly(2, 2, 1, 0);
            assertThat(pages).extracting(ChangeFeed.Page::atTail).containsExactly(false, false, true, true);
            assertThat(pages.stream().flatMap(p -> p.records().stream()).map(ChangeRecord::key))
                    .containsExactly("k1", "k2", "k3", "k4", "k5");
        }
    }

    @Test
    void reopeningAtItsPositionsGivesOnlyTheLaterRecords() {
        leader.put("early", "{}", 1, Precondition.NONE);
        leader.put("early", "{}", 2, Precondition.NONE);
        Map<String, String> positions;
        String lastRead;
        try (ChangeFeed feed = source.open(table, Map.of())) {
            List<ChangeRecord> read = readUp(feed);
            assertThat(read).hasSize(2);
            lastRead = read.getLast().sequenceNumber();
            positions = feed.positions();
        }
        assertThat(positions).hasSize(1).containsValue(lastRead);
        leader.put("late", "{}", 3, Precondition.NONE);

        try (ChangeFeed feed = source.open(table, positions)) {
            List<ChangeRecord> read = readUp(feed);
            assertThat(read).extracting(ChangeRecord::key).containsExactly("late");
            assertThat(feed.positions()).containsOnlyKeys(positions.keySet())
                    .containsValue(read.getLast().sequenceNumber());
        }
    }

    @Test
    void aPositionThatCannotBeResumedIsReadFromTheOldestRecordAndUnknownShardsAreDropped() {
        leader.put("a", "{}", 1, Precondition.NONE);
        leader.put("b", "{}", 2, Precondition.NONE);
        String shard;
        try (ChangeFeed feed = source.open(table, Map.of())) {
            readUp(feed);
            shard = feed.positions().keySet().iterator().next();
        }

        try (ChangeFeed feed = source.open(table, Map.of(shard, "not-a-sequence-number",
                "shardId-00000000000000000000-gone", "000000000000000000042"))) {
            List<ChangeRecord> read = readUp(feed);
            assertThat(read).extracting(ChangeRecord::key).containsExactly("a", "b");
            assertThat(feed.positions()).containsOnlyKeys(shard).containsEntry(shard, read.getLast().sequenceNumber());
        }
    }

    @Test
    void openedAtTheTailItReadsOnlyWhatIsCommittedAfter() {
        leader.put("before-1", "{}", 1, Precondition.NONE);
        leader.put("before-2", "{}", 2, Precondition.NONE);
        try (ChangeFeed feed = source.openAtTail(table)) {
            ChangeFeed.Page first = feed.next();
            assertThat(first.records()).as("what was there is left to the copy").isEmpty();
            assertThat(first.atTail()).isTrue();
            assertThat(feed.positions()).as("nothing read: no position to save yet").isEmpty();

            leader.put("after", "{}", 3, Precondition.NONE);
            assertThat(readUp(feed)).extracting(ChangeRecord::key).containsExactly("after");
            assertThat(feed.positions()).hasSize(1);
        }
    }

    @Test
    void anEmptyStreamIsAnEmptyPageAtTheTailAndThenReadsWhatComes() {
        ChangeFeed feed = source.open(table, Map.of());
        ChangeFeed.Page empty = feed.next();
        assertThat(empty.records()).isEmpty();
        assertThat(empty.atTail()).isTrue();
        assertThat(feed.positions()).isEmpty();

        leader.put("first", "{}", 1, Precondition.NONE);
        assertThat(feed.next().records()).extracting(ChangeRecord::key).containsExactly("first");

        feed.close();
        feed.close();
        assertThatThrownBy(feed::next).isInstanceOf(IllegalStateException.class);
    }

    /** Pages until one is at the tail (bounded, so a feed that never gets there fails instead of hanging). */
    private static List<ChangeRecord> readUp(ChangeFeed feed) {
        List<ChangeRecord> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ChangeFeed.Page page = feed.next();
            out.addAll(page.records());
            if (page.atTail()) {
                return out;
            }
        }
        throw new AssertionError("the feed was not at its tail after 10 pages");
    }
}
