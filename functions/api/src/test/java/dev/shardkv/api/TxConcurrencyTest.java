package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.dynamodb.TableProvisioner;
import dev.shardkv.embedded.testing.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * Many clients run conflicting transactions on the same keys of three shards; the leaders' own
 * change streams are the history the outcome is checked against (Jepsen-style, on histories, not on
 * one happy request).
 */
@QuarkusTest
class TxConcurrencyTest {
    static final List<String> KEYS = List.of("cc-a", "cc-b", "ncc-c", "occ-d", "tcc-e", "ucc-f");
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EmbeddedApi runtime;

    record Committed(String id, Map<String, Long> versions) {
    }

    @Test
    void conflictingTransactionsLeaveGaplessHistoriesAllOrNothingAndConvergedReplicas() throws Exception {
        StringBuilder init = new StringBuilder("{\"operations\":[");
        for (int i = 0; i < KEYS.size(); i++) {
            init.append(i == 0 ? "" : ",").append("{\"op\":\"put\",\"key\":\"").append(KEYS.get(i))
                    .append("\",\"value\":{\"tx\":\"init\"},\"version\":0}");
        }
        given().contentType("application/json").body(init.append("]}").toString()).when().post("/v1/tx")
                .then().statusCode(200);

        List<Committed> committed = new CopyOnWriteArrayList<>();
        Set<String> rejected = ConcurrentHashMap.newKeySet();
        int clients = 6;
        int perClient = 25;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> {
                Random random = new Random(client);
                for (int n = 0; n < perClient; n++) {
                    String id = client + "-" + n;
                    List<String> keys = new ArrayList<>(KEYS);
                    Collections.shuffle(keys, random);
                    keys = keys.subList(0, 2 + random.nextInt(2));
                    Map<String, Long> read = readVersions(keys);
                    StringBuilder body = new StringBuilder("{\"operations\":[");
                    for (int i = 0; i < keys.size(); i++) {
                        body.append(i == 0 ? "" : ",").append("{\"op\":\"put\",\"key\":\"").append(keys.get(i))
                                .append("\",\"value\":{\"tx\":\"").append(id).append("\"},\"version\":")
                                .append(read.get(keys.get(i))).append("}");
                    }
                    Response r = given().contentType("application/json").body(body.append("]}").toString())
                            .when().post("/v1/tx");
                    if (r.statusCode() == 200) {
                        Map<String, Long> versions = new HashMap<>();
                        List<Map<String, Object>> results = r.path("results");
                        results.forEach(res -> versions.put((String) res.get("key"), ((Number) res.get("version")).longValue()));
                        committed.add(new Committed(id, versions));
                    } else {
                        assertThat(r.statusCode()).as("tx %s: %s", id, r.asString()).isEqualTo(409);
                        rejected.add(id);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        int tried = clients * perClient;
        System.out.printf("transactions: %d tried, %d committed, %d rejected%n", tried, committed.size(), rejected.size());
        assertThat(committed.size() + rejected.size()).isEqualTo(tried);
        assertThat(committed).as("some transactions commit").hasSizeGreaterThan(10);
        assertThat(rejected).as("conflicts happen and are refused").isNotEmpty();

        // The leaders' change streams: every (key, version) ever committed, with the transaction that wrote it.
        Map<String, Map<Long, String>> history = history();
        for (String key : KEYS) {
            Map<Long, String> versions = history.get(key);
            long last = Collections.max(versions.keySet());
            assertThat(versions.keySet()).as("%s's versions are gapless", key)
                    .isEqualTo(new TreeSet<>(java.util.stream.LongStream.rangeClosed(1, last).boxed().toList()));
            assertThat(versions.get(1L)).isEqualTo("init");
            StoredItem leader = Tables.item(runtime.cluster(), leaderOf(key), key);
            assertThat(leader.version()).isEqualTo(last);
        }
        for (Committed c : committed) {
            c.versions().forEach((key, version) -> assertThat(history.get(key).get(version))
                    .as("committed %s wrote %s v%d", c.id(), key, version).isEqualTo(c.id()));
        }
        for (Map<Long, String> versions : history.values()) {
            assertThat(versions.values()).as("no rejected transaction left a trace").doesNotContainAnyElementsOf(rejected);
        }
        long writtenByCommitted = committed.stream().mapToLong(c -> c.versions().size()).sum();
        assertThat(history.values().stream().mapToLong(Map::size).sum()).isEqualTo(writtenByCommitted + KEYS.size());

        // The replicas converge to the leaders.
        for (String key : KEYS) {
            StoredItem leader = Tables.item(runtime.cluster(), leaderOf(key), key);
            ShardEntry shard = runtime.cluster().shardMap().route(key);
            for (String replica : shard.replicas()) {
                assertThat(Tables.awaitVersion(runtime.cluster(), replica, key, leader.version(), Duration.ofSeconds(10)))
                        .isEqualTo(leader);
            }
        }
    }

    static Map<String, Long> readVersions(List<String> keys) {
        StringBuilder body = new StringBuilder("{\"consistency\":\"strong\",\"keys\":[");
        for (int i = 0; i < keys.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(keys.get(i)).append('"');
        }
        List<Map<String, Object>> results = given().urlEncodingEnabled(false).contentType("application/json")
                .body(body.append("]}").toString()).when().post("/v1/kv:batchGet").then().statusCode(200)
                .extract().path("results");
        Map<String, Long> versions = new HashMap<>();
        results.forEach(r -> versions.put((String) r.get("key"), ((Number) r.get("version")).longValue()));
        return versions;
    }

    String leaderOf(String key) {
        return runtime.cluster().shardMap().route(key).leader();
    }

    /** (key -> version -> tx id) from every leader's stream, read from its oldest record. */
    Map<String, Map<Long, String>> history() throws Exception {
        Map<String, Map<Long, String>> history = new HashMap<>();
        var streams = runtime.cluster().streams();
        for (ShardEntry shard : runtime.cluster().shardMap().shards()) {
            String arn = new TableProvisioner(runtime.cluster().dynamo()).streamArn(shard.leader());
            for (var s : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
                String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(s.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                int empty = 0;
                while (iterator != null && empty < 2) {
                    String current = iterator;
                    var page = streams.getRecords(b -> b.shardIterator(current).limit(1000));
                    empty = page.records().isEmpty() ? empty + 1 : 0;
                    for (Record record : page.records()) {
                        var image = record.dynamodb().newImage();
                        if (image == null || image.isEmpty()) {
                            continue;
                        }
                        String key = image.get(ItemAttributes.PK).s();
                        if (!KEYS.contains(key)) {
                            continue;
                        }
                        JsonNode value = JSON.readTree(image.get(ItemAttributes.VALUE).s());
                        history.computeIfAbsent(key, k -> new HashMap<>())
                                .put(Long.parseLong(image.get(ItemAttributes.VERSION).n()), value.get("tx").asText());
                    }
                    iterator = page.nextShardIterator();
                }
            }
        }
        return history;
    }
}
