package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lag-aware write admission over HTTP: while a replica of t-z is held back past the 1 s bound, writes
 * to t-z get 429 problem+json with Retry-After (and other shards' writes go on); the throttle shows in
 * /v1/replication; once the replica catches up, writes are admitted again.
 */
@QuarkusTest
@TestProfile(WriteThrottleApiTest.WithThrottle.class)
class WriteThrottleApiTest {
    /** The local runtime's default bound (EmbeddedApi runs without one otherwise). */
    public static class WithThrottle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shardkv.replication.write-throttle-lag", "1s");
        }
    }

    @Inject
    EmbeddedApi runtime;
    @Inject
    FaultInjection faults;

    static Response put(String key) {
        return given().contentType("application/json").body("{\"n\":1}").when().put("/v1/kv/" + key);
    }

    @Test
    void writesToAShardWhoseReplicaIsBehindAreRefusedUntilItCatchesUp() throws Exception {
        put("throttle-first").then().statusCode(org.hamcrest.Matchers.isOneOf(200, 201));
        Thread.sleep(500); // healthy, with fresh watermarks
        CountDownLatch release = new CountDownLatch(1);
        faults.replicas().inject(runtime.cluster().topology().replicaTable("t-z", 2), items -> {
            if (items.stream().anyMatch(item -> item.key().equals("throttle-held"))) {
                release.await(30, TimeUnit.SECONDS);
            }
        });
        try {
            long held = System.currentTimeMillis();
            put("throttle-held").then().statusCode(org.hamcrest.Matchers.isOneOf(200, 201));
            Response refused = null;
            // Between the 1 s bound and the 5 s after which the replica's lag becomes unknown (and stops counting).
            while (refused == null && System.currentTimeMillis() - held < 4_500) {
                Response r = put("throttle-" + System.nanoTime());
                if (r.statusCode() == 429) {
                    refused = r;
                } else {
                    assertThat(r.statusCode()).isIn(200, 201);
                    assertThat(System.currentTimeMillis() - held).as("admitted only while within the bound")
                            .isLessThan(1_500);
                }
                Thread.sleep(50);
            }
            assertThat(refused).as("a write refused while the replica is behind").isNotNull();
            assertThat(refused.<Integer>path("lagMs")).as("refused only past the bound").isGreaterThan(1_000);
            refused.then().contentType("application/problem+json")
                    .header("Retry-After", "1")
                    .body("type", equalTo("urn:shardkv:problem:writes-throttled"))
                    .body("shard", equalTo("t-z"))
                    .body("maxLagMs", equalTo(1000));
            put("alpha-throttle").then().statusCode(org.hamcrest.Matchers.isOneOf(200, 201)); // a-l is not behind
            given().when().get("/v1/replication").then().statusCode(200)
                    .body("shards.find { it.shard == 't-z' }.writeThrottle.active", equalTo(true))
                    .body("shards.find { it.shard == 't-z' }.writeThrottle.rejected", org.hamcrest.Matchers.greaterThan(0))
                    .body("shards.find { it.shard == 'a-l' }.writeThrottle.active", equalTo(false));
        } finally {
            release.countDown();
            faults.replicas().clear();
        }
        long deadline = System.currentTimeMillis() + 10_000;
        int status = 0;
        while (System.currentTimeMillis() < deadline && status != 200 && status != 201) {
            status = put("throttle-after").statusCode();
            Thread.sleep(50);
        }
        assertThat(status).as("admitted again once caught up").isIn(200, 201);
    }
}
