package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The consistency choices keep their promise against a replica made slow or stopped, through the
 * REST API: bounded reads never answer from a replica further behind than the bound, session reads
 * never older than the client's own writes, and unknown lag is never zero.
 */
@QuarkusTest
class ConsistencyApiTest {
    @Inject
    EmbeddedApi runtime;
    @Inject
    FaultInjection faults;

    record Read(long sentAt, int status, String servedBy, Long lagMs, int version) {
    }

    static Read read(String key, Map<String, String> params, String token) {
        long sentAt = System.currentTimeMillis();
        var request = given().queryParams(params);
        if (token != null) {
            request = request.header("X-Consistency-Token", token);
        }
        Response r = request.when().get("/v1/kv/" + key);
        String lag = r.header("X-Replica-Lag-Ms");
        return new Read(sentAt, r.statusCode(), r.header("X-Served-By"), lag == null ? null : Long.parseLong(lag),
                r.statusCode() == 200 ? r.path("version") : 0);
    }

    static String put(String key, String value, String token) {
        var request = given().contentType("application/json").body(value);
        if (token != null) {
            request = request.header("X-Consistency-Token", token);
        }
        return request.when().put("/v1/kv/" + key).then().statusCode(org.hamcrest.Matchers.isOneOf(200, 201))
                .extract().header("X-Consistency-Token");
    }

    void awaitHealthy(String shard) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var t = runtime.cluster().tracker();
            if (t.lag(shard, 1).isPresent() && t.lag(shard, 2).isPresent()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("replicas of " + shard + " never became healthy");
    }

    @Test
    void aSlowReplicaIsAvoidedByBoundedAndSessionReadsAndUsedAgainOnceCaughtUp() throws Exception {
        String key = "mslow";
        put(key, "1", null);
        awaitHealthy("m-s");
        Thread.sleep(300);
        long bound = 500;
        // Replica 2 cannot apply the second write until the test lets it: as slow as the test needs.
        CountDownLatch release = new CountDownLatch(1);
        faults.replicas().inject(runtime.cluster().topology().replicaTable("m-s", 2), items -> {
            if (items.stream().anyMatch(item -> item.key().equals(key) && item.version() == 2)) {
                release.await(30, TimeUnit.SECONDS);
            }
        });
        try {
            long written = System.currentTimeMillis();
            String token = put(key, "2", null);
            List<Read> bounded = new ArrayList<>();
            List<Read> session = new ArrayList<>();
            long deadline = written + 20_000;
            while (bounded.stream().filter(r -> r.sentAt() - written > bound + 50).count() < 10
                    && System.currentTimeMillis() < deadline) {
                bounded.add(read(key, Map.of("consistency", "bounded", "maxLagMs", "" + bound), null));
                session.add(read(key, Map.of("consistency", "session"), token));
                Thread.sleep(20);
            }
            for (Read r : bounded) {
                assertThat(r.status()).isEqualTo(200);
                if (!r.servedBy().endsWith("/leader")) {
                    assertThat(r.lagMs()).as("a replica answers only under the bound: %s", r).isLessThanOrEqualTo(bound);
                }
                if (r.sentAt() - written > bound + 50) {
                    assertThat(r.version()).as("older than the bound, the write must show: %s", r).isEqualTo(2);
                    assertThat(r.servedBy()).as("the slow replica is avoided past the bound: %s", r)
                            .isNotEqualTo("m-s/replica-2");
                }
            }
            assertThat(bounded).filteredOn(r -> r.sentAt() - written > bound + 50).hasSizeGreaterThanOrEqualTo(10);
            assertThat(session).as("session reads see the client's write, never from the slow replica")
                    .allSatisfy(r -> {
                        assertThat(r.version()).isEqualTo(2);
                        assertThat(r.servedBy()).isNotEqualTo("m-s/replica-2");
                    });
        } finally {
            release.countDown();
            faults.replicas().clear();
        }
        // Caught up: bounded reads use replica 2 again.
        long deadline = System.currentTimeMillis() + 10_000;
        boolean usedAgain = false;
        while (!usedAgain && System.currentTimeMillis() < deadline) {
            Read r = read(key, Map.of("consistency", "bounded", "maxLagMs", "1000"), null);
            usedAgain = r.servedBy().equals("m-s/replica-2") && r.version() == 2;
            Thread.sleep(10);
        }
        assertThat(usedAgain).as("replica 2 serves bounded reads again once it has caught up").isTrue();
    }

    @Test
    void aStoppedReplicatorMakesLagGrowThenUnknownNeverZero() throws Exception {
        awaitHealthy("t-z");
        put("tango", "1", null);
        runtime.cluster().pump("t-z").pause();
        try {
            Thread.sleep(300);
            List<Long> lags = new ArrayList<>();
            List<Boolean> healthy = new ArrayList<>();
            long stopped = System.currentTimeMillis();
            while (System.currentTimeMillis() - stopped < 6_500) {
                Map<String, Object> replica = given().when().get("/v1/replication").then().statusCode(200)
                        .extract().path("shards.find { it.shard == 't-z' }.replicas[0]");
                lags.add(replica.get("lagMs") == null ? null : ((Number) replica.get("lagMs")).longValue());
                healthy.add((Boolean) replica.get("healthy"));
                Thread.sleep(200);
            }
            List<Long> known = lags.stream().filter(l -> l != null).toList();
            assertThat(known).as("lag is known at first, and grows").hasSizeGreaterThan(5);
            assertThat(known).isSortedAccordingTo(Long::compare);
            assertThat(known).allSatisfy(l -> assertThat(l).isPositive());
            assertThat(known.get(known.size() - 1)).isGreaterThan(3_000);
            assertThat(lags.get(lags.size() - 1)).as("then unknown (null), never zero").isNull();
            assertThat(healthy.get(healthy.size() - 1)).isFalse();
            Read r = read("tango", Map.of(), null);
            assertThat(r.servedBy()).as("no healthy replica: eventual reads go to the leader").isEqualTo("t-z/leader");
        } finally {
            runtime.cluster().pump("t-z").resume();
        }
        awaitHealthy("t-z");
    }

    @Test
    void sessionReadsNeverReturnAVersionOlderThanTheClientsLastWrite() {
        String token = null;
        for (int i = 1; i <= 40; i++) {
            token = put("diary", "{\"n\":" + i + "}", token);
            Read r = read("diary", Map.of("consistency", "session"), token);
            assertThat(r.version()).as("read %d after write %d (%s)", i, i, r.servedBy()).isEqualTo(i);
        }
        // The token also covers another key of the shard written earlier in the session.
        Read other = read("diary", Map.of("consistency", "session"), token);
        assertThat(other.version()).isEqualTo(40);
    }
}
