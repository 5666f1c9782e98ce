package dev.shardkv.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.gateway.ShardLoad;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationIds;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.Progress;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.verify.LastVerification;
import dev.shardkv.dynamodb.DynamoStores;
import dev.shardkv.embedded.StreamPump;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The lag page at {@code /}, in a real headless Chromium: its JavaScript polls {@code /v1/replication} by itself, and
 * what it then shows (read from the dumped DOM's data-* attributes) must agree with what the API says: the same shards
 * and replicas, the same health, lag values close to the API's ones and "unknown" where the API says null (one shard's
 * stream pump is paused so that both cases are on the page), load counts at least those written here, and the hot flag
 * and split suggestion as the server gives them (reads skewed onto m-s run throughout, so m-s is hot); the operations
 * panel lists the operations of {@code /v1/admin/operations} (two are put in the store here: one catching up, one
 * done); a replica whose last verification (put in the store here) left differences unrepaired has a "divergent N"
 * badge, and no other replica has one (its ReplicaDivergentItems gauge says the same N). A second run takes a
 * screenshot into target/dashboard.png. Skipped, with the reason, where no Chromium is installed.
 */
@QuarkusTest
class DashboardPageTest {
    /** Chromium's own time: the page polls once a second in it, and it runs faster than real time when idle. */
    static final int DOM_BUDGET_MS = 6_000;
    static final int SCREENSHOT_BUDGET_MS = 8_000;
    static final Duration CHROMIUM_TIMEOUT = Duration.ofSeconds(60);
    /** Lag moves all the time (heartbeats every 250 ms); the page's last poll and the API calls differ a little. */
    static final long LAG_TOLERANCE_MS = 2_000;
    static final String PAUSED_SHARD = "t-z";
    /** The shard the background reads make hot. */
    static final String HOT_SHARD = "m-s";
    /** The replica shown divergent (its last verification left 3 differences unrepaired). */
    static final String DIVERGENT = "a-l/replica-2";
    static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio");

    @TestHTTPResource("/")
    URL url;

    @Inject
    LocalRuntime runtime;

    @Test
    void thePageShowsWhatTheApiSaysAndLooksRight() throws Exception {
        Optional<Path> chromium = findChromium();
        if (chromium.isEmpty()) {
            System.err.println("DashboardPageTest skipped: no chromium (CHROME_BIN, /usr/bin/chromium, PATH); "
                    + "install Debian's chromium package");
        }
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium: install Debian's chromium package");

        awaitApi("every replica healthy", api -> replicas(api).values().stream().allMatch(r -> r.healthy),
                Duration.ofSeconds(30));
        Map<String, long[]> baseline = load(api());
        Map<String, long[]> done = new TreeMap<>(); // shard -> {reads, writes} made here
        write("apple-dashboard", "a-l", done);
        write("kiwi-dashboard", "a-l", done);
        write("lemon-dashboard", "a-l", done);
        write("mango-dashboard", "m-s", done);
        write("olive-dashboard", "m-s", done);
        write("tomato-dashboard", "t-z", done);
        read("apple-dashboard", "a-l", done);
        read("mango-dashboard", "m-s", done);

        List<Operation> operations = operations();
        verifications().record(divergent());
        awaitApi(DIVERGENT + " divergent", api -> unrepaired(api, DIVERGENT) == 3, Duration.ofSeconds(10));
        assertThat(given().when().get("/q/metrics").then().statusCode(200).extract().asString())
                .as("the gauge, from the same copy").contains("ReplicaDivergentItems{replica=\"replica-2\",shard=\"a-l\"} 3.0");
        SkewedReads skewed = new SkewedReads(url);
        StreamPump pump = runtime.cluster().pump(PAUSED_SHARD);
        pump.pause();
        try {
            awaitApi(HOT_SHARD + " hot with a split point", api -> {
                Map<String, Object> load = loadOf(api, HOT_SHARD);
                return Boolean.TRUE.equals(load.get("hot")) && load.get("splitAt") != null;
            }, Duration.ofSeconds(30));
            long unknownAfterMs = api().getLong("unknownAfterMs");
            awaitApi(PAUSED_SHARD + "'s replicas unknown", api -> replicas(api).entrySet().stream()
                    .filter(e -> e.getKey().startsWith(PAUSED_SHARD + "/")).allMatch(e -> e.getValue().lagMs == null),
                    Duration.ofMillis(unknownAfterMs + 10_000));

            JsonPath before = api();
            long started = System.nanoTime();
            String dom = runChromium(chromium.get(), "--virtual-time-budget=" + DOM_BUDGET_MS, "--dump-dom", page());
            long domMs = (System.nanoTime() - started) / 1_000_000;
            JsonPath after = api();

            checkPage(dom, before, after, baseline, done);
            checkOperations(dom, operations);
            checkDivergent(dom);

            Path png = Path.of(System.getProperty("basedir", "."), "target", "dashboard.png").toAbsolutePath();
            Files.createDirectories(png.getParent());
            Files.deleteIfExists(png);
            started = System.nanoTime();
            runChromium(chromium.get(), "--window-size=1400,1500", "--virtual-time-budget=" + SCREENSHOT_BUDGET_MS,
                    "--screenshot=" + png, page());
            long shotMs = (System.nanoTime() - started) / 1_000_000;
            checkScreenshot(png);
            System.out.printf("DashboardPageTest: chromium --dump-dom %d ms, --screenshot %d ms -> %s; %s load %s%n", domMs,
                    shotMs, png, HOT_SHARD, loadOf(api(), HOT_SHARD));
        } finally {
            skewed.close();
            endOperations(operations);
            verifications().forget(divergent().replica());
            pump.resume();
            awaitApi("every replica healthy again", api -> replicas(api).values().stream().allMatch(r -> r.healthy),
                    Duration.ofSeconds(30));
            awaitApi(DIVERGENT + " no longer divergent", api -> unrepaired(api, DIVERGENT) == -1, Duration.ofSeconds(10));
        }
    }

    // ---- what the page must show ---------------------------------------------------------------------------------

    void checkPage(String dom, JsonPath before, JsonPath after, Map<String, long[]> baseline,
            Map<String, long[]> done) {
        Map<String, String> body = tags(dom, "body").stream().findFirst()
                .orElseThrow(() -> new AssertionError("no <body> in the dumped DOM:\n" + dom));
        assertThat(Integer.parseInt(body.getOrDefault("data-polls", "0")))
                .as("successful polls of /v1/replication in %d ms of page time", DOM_BUDGET_MS).isGreaterThanOrEqualTo(3);
        assertThat(body.get("data-state")).as("page state").isEqualTo("ok");
        assertThat(tags(dom, "form")).as("the token form, hidden: this server has no token")
                .anySatisfy(form -> assertThat(form).containsEntry("id", "token-form").containsKey("hidden"));

        List<Map<String, String>> rows = tags(dom, "tr");
        Map<String, Map<String, String>> replicaRows = new LinkedHashMap<>();
        Map<String, Map<String, String>> loadRows = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            if (row.containsKey("data-replica")) {
                String key = row.get("data-shard") + "/" + row.get("data-name");
                assertThat(replicaRows.put(key, row)).as("one row for %s", key).isNull();
            } else if (row.containsKey("data-reads")) {
                assertThat(loadRows.put(row.get("data-shard"), row)).as("one load row for %s", row.get("data-shard"))
                        .isNull();
            }
        }

        Map<String, Replica> was = replicas(before);
        Map<String, Replica> is = replicas(after);
        assertThat(replicaRows.keySet()).as("shard/replica rows on the page, in the API's order")
                .containsExactlyElementsOf(is.keySet());
        assertThat(is.keySet()).containsExactlyElementsOf(was.keySet());
        assertThat(is.keySet()).as("the test topology").hasSize(6);

        int unknownOnPage = 0;
        for (var e : is.entrySet()) {
            String key = e.getKey();
            Replica then = was.get(key);
            Replica now = e.getValue();
            Map<String, String> row = replicaRows.get(key);
            String pageLag = row.get("data-lag-ms");
            boolean pageHealthy = Boolean.parseBoolean(row.get("data-healthy"));
            assertThat(row.get("data-replica")).as("%s data-replica: the API's number", key).isEqualTo("" + now.replica);
            assertThat(row.get("data-healthy")).as("%s data-healthy", key).isIn("true", "false");
            if (then.healthy == now.healthy) {
                assertThat(pageHealthy).as("%s healthy on the page (the API said %s before and after)", key,
                        now.healthy).isEqualTo(now.healthy);
            }
            if (then.lagMs == null && now.lagMs == null) {
                assertThat(pageLag).as("%s lag: the API says unknown", key).isEqualTo("unknown");
                assertThat(pageHealthy).as("%s with unknown lag is not healthy", key).isFalse();
                unknownOnPage++;
            } else if (then.lagMs != null && now.lagMs != null) {
                assertThat(pageLag).as("%s lag: the API says %d then %d ms", key, then.lagMs, now.lagMs)
                        .matches("\\d+");
                long lag = Long.parseLong(pageLag);
                assertThat(lag).as("%s lag on the page: the API said %d then %d ms", key, then.lagMs, now.lagMs)
                        .isBetween(Math.min(then.lagMs, now.lagMs) - LAG_TOLERANCE_MS,
                                Math.max(then.lagMs, now.lagMs) + LAG_TOLERANCE_MS);
            } else {
                assertThat(pageLag).as("%s lag (changed between the API calls)", key).matches("\\d+|unknown");
            }
            if (key.startsWith(PAUSED_SHARD + "/")) {
                assertThat(pageLag).as("%s, whose pump is paused", key).isEqualTo("unknown");
            }
        }
        assertThat(unknownOnPage).as("replicas shown unknown (the paused shard's)").isEqualTo(2);

        Map<String, long[]> total = load(after);
        assertThat(loadRows.keySet()).as("load rows").containsExactlyElementsOf(total.keySet());
        for (var e : loadRows.entrySet()) {
            String shard = e.getKey();
            long reads = Long.parseLong(e.getValue().get("data-reads"));
            long writes = Long.parseLong(e.getValue().get("data-writes"));
            long[] base = baseline.get(shard);
            long[] mine = done.getOrDefault(shard, new long[2]);
            assertThat(reads).as("%s reads on the page", shard)
                    .isBetween(base[0] + mine[0], total.get(shard)[0]);
            assertThat(writes).as("%s writes on the page", shard)
                    .isBetween(base[1] + mine[1], total.get(shard)[1]);
            Map<String, Object> then = loadOf(before, shard);
            Map<String, Object> now = loadOf(after, shard);
            Map<String, String> row = e.getValue();
            assertThat(row.get("data-hot")).as("%s data-hot", shard).isIn("true", "false");
            if (then.get("hot").equals(now.get("hot"))) {
                assertThat(row.get("data-hot")).as("%s data-hot: the API said %s before and after", shard,
                        now.get("hot")).isEqualTo("" + now.get("hot"));
            }
            if (row.get("data-hot").equals("false")) {
                assertThat(row.get("data-split-at")).as("%s: no suggestion for a shard that is not hot", shard).isEmpty();
                assertThat(row.get("data-hot-key")).isEmpty();
            }
            assertThat(row.get("data-reads-per-s")).as("%s reads/s, from the server", shard).matches("\\d+\\.\\d\\d");
            assertThat(row.get("data-bytes-per-s")).as("%s bytes/s, from the server", shard).matches("\\d+\\.\\d\\d");
        }
        Map<String, String> hot = loadRows.get(HOT_SHARD);
        assertThat(hot.get("data-hot")).as("%s, read all along, is hot on the page: %s; the API said %s, then %s",
                HOT_SHARD, hot, loadOf(before, HOT_SHARD), loadOf(after, HOT_SHARD)).isEqualTo("true");
        assertThat(Double.parseDouble(hot.get("data-reads-per-s"))).as("%s reads/s", HOT_SHARD)
                .isGreaterThanOrEqualTo(ShardLoad.HOT_MIN_RATE);
        String at = hot.get("data-split-at");
        assertThat(at).as("%s: a split point strictly inside [m, t)", HOT_SHARD).isNotEmpty()
                .isGreaterThan("m").isLessThan("t");
        assertThat(hot.get("data-hot-key")).as("keys spread over the range: no hot key").isEmpty();
        assertThat(dom).as("the suggestion shown").contains("split at <code>\"" + at + "\"</code>");
        for (String cold : List.of("a-l", PAUSED_SHARD)) {
            assertThat(loadRows.get(cold).get("data-hot")).as("%s is not hot", cold).isEqualTo("false");
        }
        assertThat(done.get("a-l")[1]).isPositive();

        // The chart: drawn by uPlot, one legend entry per shard/replica.
        assertThat(dom).as("the uPlot chart").contains("class=\"uplot").contains("<canvas");
        assertThat(dom).doesNotContain("did not load");
        for (String key : is.keySet()) {
            assertThat(dom).as("legend entry %s", key).contains(">" + key + "<");
        }
    }

    static void checkScreenshot(Path png) throws IOException {
        assertThat(png).as("screenshot").exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).as("PNG signature")
                .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        assertThat(bytes.length).as("PNG size").isGreaterThan(20_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1400);
        assertThat(image.getHeight()).isEqualTo(1500);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours: a drawn page, not a blank one").isGreaterThan(50);
    }

    /** Both operations put in the store are listed, with their kind, shards, state, progress, ETA and write pause. */
    static void checkOperations(String dom, List<Operation> operations) {
        Map<String, String> panel = tags(dom, "section").stream().filter(t -> "operations".equals(t.get("id")))
                .findFirst().orElseThrow(() -> new AssertionError("no operations panel"));
        assertThat(panel.get("data-state")).as("the operations panel: /v1/admin/operations answered 200").isEqualTo("ok");
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Map<String, String> row : tags(dom, "tr")) {
            if (row.containsKey("data-kind")) {
                rows.put(row.get("data-id"), row);
            }
        }
        Operation active = operations.get(0);
        Operation done = operations.get(1);
        assertThat(rows).containsKeys(active.id(), done.id());
        assertThat(rows.get(active.id())).containsEntry("data-kind", "split").containsEntry("data-state", "catching-up")
                .containsEntry("data-sources", "x-src").containsEntry("data-targets", "x-a, x-b")
                .containsEntry("data-copied", "4000").containsEntry("data-total", "5000")
                .containsEntry("data-behind", "3").containsEntry("data-eta-ms", "4200")
                .containsEntry("data-write-pause-ms", "");
        assertThat(rows.get(done.id())).containsEntry("data-kind", "merge").containsEntry("data-state", "done")
                .containsEntry("data-sources", "x-a, x-b").containsEntry("data-targets", "x-ab")
                .containsEntry("data-write-pause-ms", "120");
        assertThat(List.copyOf(rows.keySet()).indexOf(active.id())).as("active operations first")
                .isLessThan(List.copyOf(rows.keySet()).indexOf(done.id()));
    }

    /** The divergent replica's row carries its unrepaired count and the badge; every other row 0 and none. */
    static void checkDivergent(String dom) {
        List<Map<String, String>> rows = tags(dom, "tr").stream().filter(r -> r.containsKey("data-replica")).toList();
        assertThat(rows).as("replica rows").hasSize(6).allSatisfy(row -> assertThat(row.get("data-divergent"))
                .as("%s/%s data-divergent", row.get("data-shard"), row.get("data-name"))
                .isEqualTo((row.get("data-shard") + "/" + row.get("data-name")).equals(DIVERGENT) ? "3" : "0"));
        assertThat(dom).as("the badge, once").containsOnlyOnce(">divergent 3</span>");
        assertThat(dom).as("the status line").contains("1 divergent");
    }

    // ---- the replicas' last verifications in the store ------------------------------------------------------------

    VerificationStore verifications() {
        return new DynamoStores(runtime.cluster().dynamo()).verifications(runtime.cluster().topology().controlTable());
    }

    /** The divergent replica's last verification: one key missing, two different, none repaired. */
    LastVerification divergent() {
        String[] shardAndName = DIVERGENT.split("/");
        ShardEntry shard = runtime.cluster().shardMap().shard(shardAndName[0]).orElseThrow();
        String table = shard.replicaTable(Integer.parseInt(shardAndName[1].substring("replica-".length())));
        return new LastVerification(shard.id(), table, System.currentTimeMillis(), 1, 2, 0, 0, "op-1764571200000-dashbord");
    }

    /** The replica's lastVerification.unrepaired in the API's answer; -1 when it has none. */
    @SuppressWarnings("unchecked")
    static long unrepaired(JsonPath api, String key) {
        List<Map<String, Object>> shards = api.getList("shards");
        for (Map<String, Object> shard : shards) {
            for (Map<String, Object> r : (List<Map<String, Object>>) shard.get("replicas")) {
                if (key.equals(shard.get("shard") + "/" + r.get("name"))) {
                    Map<String, Object> last = (Map<String, Object>) r.get("lastVerification");
                    return last == null ? -1 : ((Number) last.get("unrepaired")).longValue();
                }
            }
        }
        throw new AssertionError("no replica " + key);
    }

    // ---- operations in the store: shards that do not exist, so nothing runs them ----------------------------------

    OperationStore store() {
        return new DynamoStores(runtime.cluster().dynamo()).operations(runtime.cluster().topology().controlTable());
    }

    /** A split catching up (active) and a merge that is done, stored as the engine stores them. */
    List<Operation> operations() {
        long now = System.currentTimeMillis();
        SplittableRandom random = new SplittableRandom();
        Operation active = new Operation(OperationIds.next(now - 1, random), OperationKind.SPLIT,
                OperationState.CATCHING_UP, List.of(fake("x-src")), List.of(fake("x-a"), fake("x-b")), 90, 91,
                new Progress(4000, 5000, 3), 4200L, null, null, null, now - 5_000, now, 1, null);
        Operation cutting = new Operation(OperationIds.next(now - 60_000, random), OperationKind.MERGE,
                OperationState.CUTTING_OVER, List.of(fake("x-a"), fake("x-b")), List.of(fake("x-ab")), 80, 81,
                new Progress(300, 300, 0), null, 120L, null, null, now - 70_000, now - 60_000, 1, null);
        OperationStore store = store();
        store.create(cutting); // a store takes only operations that run; this one ends at once
        Operation done = store.save(cutting.advance(now - 60_000));
        store.release(done);
        store.create(active);
        return List.of(active, done);
    }

    void endOperations(List<Operation> operations) {
        OperationStore store = store();
        Operation active = store.get(operations.get(0).id()).orElseThrow();
        store.release(store.save(active.fail("the test is over", System.currentTimeMillis())));
    }

    static ShardEntry fake(String id) {
        return new ShardEntry(id, null, null, "none-" + id + "-leader", List.of("none-" + id + "-replica-1"));
    }

    /**
     * Reads of keys spread over m-s's range, back to back on {@link #THREADS} threads until closed: well over the
     * 20 reads a second that make a shard hot, even while Chromium takes a core.
     */
    static final class SkewedReads implements AutoCloseable {
        static final int THREADS = 3;
        private final HttpClient http = HttpClient.newHttpClient();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        SkewedReads(URL base) {
            for (int t = 0; t < THREADS; t++) {
                int seed = t;
                threads.add(Thread.ofPlatform().daemon().name("skewed-reads-" + t).start(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; !stop; i++) {
                        String key = "" + (char) ('m' + random.nextInt(7)) + (char) ('a' + random.nextInt(26)) + "-hot-"
                                + seed + "-" + i;
                        try {
                            http.send(HttpRequest.newBuilder(URI.create(base.toString()).resolve("/v1/kv/" + key))
                                    .build(), HttpResponse.BodyHandlers.discarding());
                        } catch (InterruptedException e) {
                            return;
                        } catch (IOException e) {
                            // the server is busy or stopping: go on until closed
                        }
                    }
                }));
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread thread : threads) {
                thread.join(5_000);
            }
        }
    }

    // ---- the API --------------------------------------------------------------------------------------------------

    record Replica(int replica, Long lagMs, boolean healthy) {
    }

    static JsonPath api() {
        return given().accept("application/json").when().get("/v1/replication")
                .then().statusCode(200).extract().jsonPath();
    }

    /** "shard/name" (a-l/replica-1) to its number, lag and health, in the API's order. */
    static Map<String, Replica> replicas(JsonPath api) {
        Map<String, Replica> out = new LinkedHashMap<>();
        List<Map<String, Object>> shards = api.getList("shards");
        for (Map<String, Object> shard : shards) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> replicas = (List<Map<String, Object>>) shard.get("replicas");
            for (Map<String, Object> r : replicas) {
                Object lag = r.get("lagMs");
                out.put(shard.get("shard") + "/" + r.get("name"), new Replica(((Number) r.get("replica")).intValue(),
                        lag == null ? null : ((Number) lag).longValue(), Boolean.TRUE.equals(r.get("healthy"))));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> loadOf(JsonPath api, String shard) {
        List<Map<String, Object>> shards = api.getList("shards");
        return (Map<String, Object>) shards.stream().filter(s -> shard.equals(s.get("shard"))).findFirst()
                .orElseThrow().get("load");
    }

    /** Shard to {reads, writes}, in the API's order. */
    static Map<String, long[]> load(JsonPath api) {
        Map<String, long[]> out = new LinkedHashMap<>();
        List<Map<String, Object>> shards = api.getList("shards");
        for (Map<String, Object> shard : shards) {
            @SuppressWarnings("unchecked")
            Map<String, Object> load = (Map<String, Object>) shard.get("load");
            out.put((String) shard.get("shard"),
                    new long[] {((Number) load.get("reads")).longValue(), ((Number) load.get("writes")).longValue()});
        }
        return out;
    }

    static void awaitApi(String what, Predicate<JsonPath> condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        JsonPath last = api();
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("not %s within %s: %s", what, within, last.prettify());
            }
            Thread.sleep(100);
            last = api();
        }
    }

    static void write(String key, String shard, Map<String, long[]> done) {
        given().contentType("application/json").body("{\"page\":\"" + key + "\"}")
                .when().put("/v1/kv/" + key)
                .then().statusCode(anyOf(equalTo(200), equalTo(201))).header("X-Shard", shard);
        done.computeIfAbsent(shard, s -> new long[2])[1]++;
    }

    static void read(String key, String shard, Map<String, long[]> done) {
        given().when().get("/v1/kv/" + key).then().statusCode(anyOf(equalTo(200), equalTo(404)));
        done.computeIfAbsent(shard, s -> new long[2])[0]++;
    }

    // ---- Chromium -------------------------------------------------------------------------------------------------

    String page() {
        return url.toString();
    }

    /**
     * CHROME_BIN if set (a CHROME_BIN naming no executable file is "not found": no falling back), else Debian's
     * /usr/bin/chromium or /usr/bin/chromium-browser, else google-chrome, chromium or chromium-browser on PATH.
     */
    static Optional<Path> findChromium() {
        String explicit = System.getenv("CHROME_BIN");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")));
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("google-chrome", "google-chrome-stable", "chromium", "chromium-browser")) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** Runs headless Chromium with a fresh profile; its standard output. Killed, and the test failed, past the timeout. */
    static String runChromium(Path chromium, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("shardkv-chromium-");
        Path out = Files.createTempFile("shardkv-chromium-", ".out");
        Path err = Files.createTempFile("shardkv-chromium-", ".err");
        try {
            List<String> command = new ArrayList<>();
            command.add(chromium.toString());
            command.addAll(CHROMIUM_FLAGS);
            command.add("--user-data-dir=" + profile);
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(CHROMIUM_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                List<ProcessHandle> children = process.descendants().toList();
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                fail("chromium did not finish within %s: %s\n%s", CHROMIUM_TIMEOUT, command, tail(err));
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly); // a helper left behind, if any
            assertThat(process.exitValue()).as("chromium's exit status; its stderr:\n%s", tail(err)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            deleteTree(profile);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Chromium may still be writing its profile while it exits; a temporary directory left behind is harmless.
        }
    }

    // ---- the dumped DOM: opening tags and their attributes ----------------------------------------------------------

    static final Pattern ATTRIBUTE = Pattern.compile("([\\w:-]+)(?:=\"([^\"]*)\")?");

    /** The attributes of every opening tag with that name (attribute values unescaped). */
    static List<Map<String, String>> tags(String html, String name) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher tag = Pattern.compile("<" + name + "(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE).matcher(html);
        while (tag.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            if (tag.group(1) != null) {
                Matcher a = ATTRIBUTE.matcher(tag.group(1));
                while (a.find()) {
                    attributes.put(a.group(1), a.group(2) == null ? "" : unescape(a.group(2)));
                }
            }
            out.add(attributes);
        }
        return out;
    }

    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
