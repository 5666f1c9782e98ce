package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server running AWS's stream shape (2 virtual stream shards × 2 lanes, one shard held back): /v1/replication shows
 * each replica's lag per lane, and the replica's lag is its slowest lane's.
 */
@QuarkusTest
@TestProfile(StreamShardsApiTest.FourLanes.class)
class StreamShardsApiTest {
    public static class FourLanes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shardkv.replication.stream-shards", "2", "shardkv.replication.parallelization", "2",
                    "shardkv.replication.stream-delays", "1=1s");
        }
    }

    @Test
    void everyReplicaShowsItsLagPerLaneAndTheSlowestIsItsLag() throws InterruptedException {
        // Writes keep coming to every lane, so the held-back shard's lanes stay about 1 s behind the others.
        Thread writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 400 && !Thread.currentThread().isInterrupted(); i++) {
                given().contentType("application/json").body("1").when().put("/v1/kv/key-" + i % 40);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            long deadline = System.currentTimeMillis() + 15_000;
            while (true) {
                JsonPath json = given().when().get("/v1/replication").then().statusCode(200).extract().jsonPath();
                Map<String, Object> first = json.<Map<String, Object>>getList("shards.find { it.shard == 'a-l' }.replicas")
                        .get(0);
                @SuppressWarnings("unchecked")
                Map<String, Number> lanes = (Map<String, Number>) first.get("lanes");
                long slowest = lanes.values().stream().mapToLong(Number::longValue).max().orElse(0);
                long fastest = lanes.values().stream().mapToLong(Number::longValue).min().orElse(0);
                if (lanes.size() == 4 && first.get("lagMs") != null && slowest - fastest > 500) {
                    assertThat(lanes).containsOnlyKeys("vs0/0", "vs0/1", "vs1/0", "vs1/1");
                    // The lanes and the lag are read at one moment; a lane told a moment before the lag is the most
                    // they can differ by.
                    assertThat(((Number) first.get("lagMs")).longValue()).isBetween(slowest - 100, slowest + 100);
                    return;
                }
                assertThat(System.currentTimeMillis()).as("a lane 500 ms behind the others in %s", first)
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
        } finally {
            writer.interrupt();
            writer.join();
        }
    }
}
