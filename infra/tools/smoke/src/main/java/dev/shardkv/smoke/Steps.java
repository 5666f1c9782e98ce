package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The smoke run's steps through a running {@link Deployment}: each returns what it saw, or throws what went wrong. */
final class Steps {
    private final Deployment d;

    Steps(Deployment deployment) {
        this.d = deployment;
    }

    String writes() {
        List<String> done = new ArrayList<>();
        for (var e : d.keysByShard().entrySet()) {
            ApiEvents.Response r = d.http("PUT", "/v1/kv/" + e.getValue(), "{\"smoke\":true,\"shard\":\"" + e.getKey() + "\"}");
            Smoke.expect(r.status() == 201, "PUT " + e.getValue() + " answered " + r);
            Smoke.expect(e.getKey().equals(r.header("X-Shard")), "PUT " + e.getValue() + " went to shard " + r.header("X-Shard"));
            JsonNode item = d.raw().get(d.leaderOf(e.getKey()), e.getValue());
            Smoke.expect(item != null && item.path("version").path("N").asText().equals("1"),
                    "the leader of " + e.getKey() + " holds " + item);
            done.add(e.getValue() + "->" + e.getKey());
        }
        return String.join(", ", done) + " (201, version 1 in each leader)";
    }

    String replicate() {
        int records = d.deliverStreams();
        for (var e : d.keysByShard().entrySet()) {
            for (String replica : d.replicasOf(e.getKey())) {
                JsonNode item = d.raw().get(replica, e.getValue());
                Smoke.expect(item != null && item.path("version").path("N").asText().equals("1"),
                        replica + " holds " + item + " for " + e.getValue());
            }
        }
        return records + " stream records applied, every replica holds version 1";
    }

    String read() {
        var first = d.keysByShard().entrySet().iterator().next();
        // The gateway serves eventual reads from replicas whose lag it knows: it asks the reader (cold the first
        // time) for their watermarks. A lag turns unknown 5 s after the newest applied record, so each attempt
        // starts with a fresh heartbeat, replicated.
        ApiEvents.Response r = null;
        int attempts = 0;
        do {
            if (attempts++ > 0) {
                beat();
                d.deliverStreams();
                sleep(250);
            }
            r = d.http("GET", "/v1/kv/" + first.getValue() + "?consistency=eventual", null);
            Smoke.expect(r.status() == 200, "eventual GET answered " + r);
            Smoke.expect(r.json().path("key").asText().equals(first.getValue()) && r.json().path("value").path("tx").asBoolean(),
                    "eventual GET returned " + r.body() + ", not the transaction's value");
        } while (!String.valueOf(r.header("X-Served-By")).contains("/replica-") && attempts < 3);
        String by = r.header("X-Served-By");
        Smoke.expect(by != null && by.startsWith(first.getKey() + "/replica-"), "served by " + by + ", not a replica, in "
                + attempts + " attempts");
        return "200 served by " + by + ", lag " + r.header("X-Replica-Lag-Ms") + " ms (attempt " + attempts + ")";
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String keys() {
        ApiEvents.Response accented = d.http("PUT", "/v1/kv/caf%C3%A9", "1");
        Smoke.expect(accented.status() == 201, "PUT caf%C3%A9 answered " + accented);
        Smoke.expect(accented.json().path("key").asText().equals("caf\u00e9"), "PUT caf%C3%A9 stored key " + accented.body());
        ApiEvents.Response params = d.http("PUT", "/v1/kv/m;x=1", "2");
        Smoke.expect(params.status() == 201 && params.json().path("key").asText().equals("m;x=1"), "PUT m;x=1 answered " + params);
        ApiEvents.Response bad = d.http("GET", "/v1/kv/%FF", null);
        Smoke.expect(bad.status() == 400 && String.valueOf(bad.header("Content-Type")).startsWith("application/problem+json"),
                "GET %FF answered " + bad + " " + bad.headers());
        return "caf\u00e9 and m;x=1 stored as sent, %FF 400 problem+json";
    }

    String transaction() {
        List<Map.Entry<String, String>> two = new ArrayList<>(d.keysByShard().entrySet()).subList(0, 2);
        ArrayNode ops = Smoke.JSON.createArrayNode();
        for (var e : two) {
            ops.addObject().put("op", "put").put("key", e.getValue()).put("version", 1).putObject("value").put("tx", true);
        }
        ObjectNode body = Smoke.JSON.createObjectNode();
        body.set("operations", ops);
        ApiEvents.Response r = d.http("POST", "/v1/tx", body.toString());
        Smoke.expect(r.status() == 200 && r.json().path("committed").asBoolean(), "POST /v1/tx answered " + r);
        Smoke.expect(r.json().path("shards").size() == 2, "the transaction spanned " + r.json().path("shards"));
        for (var e : two) {
            JsonNode item = d.raw().get(d.leaderOf(e.getKey()), e.getValue());
            Smoke.expect(item != null && item.path("version").path("N").asText().equals("2"), "after the transaction "
                    + d.leaderOf(e.getKey()) + " holds " + item);
        }
        return "committed on " + r.json().path("shards") + " through " + d.environments().stream().map(ExecutionEnvironment::name)
                .filter(n -> n.endsWith("-coordinator")).findFirst().orElse("?");
    }

    String heartbeat() {
        ExecutionEnvironment.Result result = beat();
        for (String shard : d.shards()) {
            Smoke.expect(d.raw().get(d.leaderOf(shard), Smoke.HEARTBEAT_KEY) != null, "no heartbeat on " + d.leaderOf(shard));
        }
        int records = d.deliverStreams();
        for (String shard : d.shards()) {
            for (String replica : d.replicasOf(shard)) {
                Smoke.expect(d.raw().get(replica, Smoke.HEARTBEAT_KEY) != null, "no heartbeat replicated to " + replica);
            }
        }
        return result.text() + ", " + records + " stream records replicated";
    }

    /** One invocation of the heartbeat, as its schedule starts it. */
    private ExecutionEnvironment.Result beat() {
        TerraformPlan.Function heartbeat = d.plan().functions().stream()
                .filter(f -> "heartbeat".equals(f.environment().get("QUARKUS_LAMBDA_HANDLER"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no heartbeat function in the plan"));
        String[] arn = d.arn();
        ObjectNode event = Smoke.JSON.createObjectNode().put("version", "0").put("id", "smoke").put("detail-type", "Scheduled Event")
                .put("source", "aws.events").put("account", arn[2]).put("region", arn[1]);
        event.putArray("resources").add("arn:" + arn[0] + ":events:" + arn[1] + ":" + arn[2] + ":rule/" + heartbeat.name());
        event.putObject("detail");
        // It beats until shortly before its deadline (3 s margin): a deadline 3.5 s away (not its timeout) gives one beat.
        ExecutionEnvironment.Result result = d.invoke(heartbeat.name(), "live", event.toString().getBytes(),
                System.currentTimeMillis() + 3_500);
        Smoke.expect(result.errorType() == null, "the heartbeat failed: " + result.text());
        return result;
    }

    String poison() {
        // A routed shard's stream (a staged shard's has no key routed to it yet).
        TerraformPlan.StreamMapping mapping = d.plan().streams().stream()
                .filter(m -> d.shards().stream().anyMatch(s -> d.leaderOf(s).equals(m.table()))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no stream mapping of a routed shard in the plan"));
        String shard = d.shardOfTable(mapping.table());
        String key = d.keysByShard().get(shard);
        ApiEvents.Response r = d.http("PUT", "/v1/kv/" + key, "{\"poison\":\"next\"}");
        Smoke.expect(r.status() == 200, "PUT answered " + r);
        String version = r.json().path("version").asText();
        List<ObjectNode> records = d.streams().read(mapping.table());
        Smoke.expect(!records.isEmpty(), "no stream record for the write");
        ObjectNode good = records.get(records.size() - 1);
        ObjectNode poison = good.deepCopy();
        ObjectNode data = (ObjectNode) poison.path("dynamodb");
        data.remove("NewImage"); // what a KEYS_ONLY stream would deliver: no item to apply
        String sequence = good.path("dynamodb").path("SequenceNumber").asText();
        String next = new BigInteger(sequence).add(BigInteger.ONE).toString();
        data.put("SequenceNumber", "0".repeat(Math.max(0, sequence.length() - next.length())) + next);
        ExecutionEnvironment.Result result = d.invoke(mapping.function(), mapping.qualifier(), d.streams().event(List.of(good, poison)),
                null);
        Smoke.expect(result.errorType() == null, "the replicator failed instead of reporting the record: " + result.text());
        JsonNode failures = Smoke.readJson(result.payload()).path("batchItemFailures");
        Smoke.expect(failures.size() == 1 && failures.path(0).path("itemIdentifier").asText()
                .equals(data.path("SequenceNumber").asText()), "batch item failures " + failures + ", not the poison record");
        for (String replica : d.replicasOf(shard)) {
            JsonNode item = d.raw().get(replica, key);
            Smoke.expect(item != null && item.path("version").path("N").asText().equals(version),
                    "the good record before the poison was not applied to " + replica + ": " + item);
        }
        return "batchItemFailures " + failures + "; the record before it applied";
    }

    // ------------------------------------------------------------------------------------------ split

    /** The split the smoke's topology stages: {@value #SPLIT_SOURCE} at {@value #SPLIT_AT} into a-f and g-l. */
    static final String SPLIT_SOURCE = "a-l";
    static final String SPLIT_AT = "g";
    static final List<String> SPLIT_TARGETS = List.of("a-f", "g-l");
    /** Keys of the source on both sides of the split point, the two nearest it included. */
    static final List<String> SPLIT_KEYS = List.of("b-split", "d-split", "f-split", "fzzz", "g", "h-split", "j-split", "l-split");
    /** How long the operation may take, from its POST to done. */
    static final long SPLIT_LIMIT_MS = 90_000;

    /**
     * A split through the admin route, run by the resharder that the gateway's asynchronous invoke starts, while
     * the streams are delivered to the replicators (the targets' replicas too, which the cutover waits for) and
     * the heartbeat beats as its schedule would; then the map, the keys, the routing and a refused split.
     */
    String split() {
        for (String target : SPLIT_TARGETS) {
            Smoke.expect(d.topology().staged().stream().anyMatch(s -> s.id().equals(target)),
                    "the smoke's topology does not stage " + target + ": " + d.topology().staged());
        }
        for (String key : SPLIT_KEYS) {
            ApiEvents.Response r = d.http("PUT", "/v1/kv/" + key, "{\"split\":\"" + key + "\"}");
            Smoke.expect(r.status() == 201 || r.status() == 200, "PUT " + key + " answered " + r);
            Smoke.expect(SPLIT_SOURCE.equals(r.header("X-Shard")), "PUT " + key + " went to shard " + r.header("X-Shard"));
        }
        int asyncBefore = d.endpoint().asyncInvocations().size();
        int deniedBefore = d.endpoint().denied().size();
        long begin = System.currentTimeMillis();
        ApiEvents.Response started = d.http("POST", "/v1/admin/splits",
                "{\"shard\":\"" + SPLIT_SOURCE + "\",\"at\":\"" + SPLIT_AT + "\"}");
        Smoke.expect(started.status() == 202, "POST /v1/admin/splits answered " + started);
        String id = started.json().path("id").asText();
        Smoke.expect(started.json().path("targets").toString().equals(Smoke.JSON.valueToTree(SPLIT_TARGETS).toString()),
                "the split's targets are " + started.json().path("targets") + ", not " + SPLIT_TARGETS);
        String resharder = d.topology().resharderFunction();
        List<AwsEndpoint.AsyncInvocation> woken = d.endpoint().asyncInvocations().subList(asyncBefore,
                d.endpoint().asyncInvocations().size());
        Smoke.expect(woken.size() == 1 && woken.get(0).function().equals(resharder) && "live".equals(woken.get(0).qualifier())
                && woken.get(0).caller().equals(d.topology().gatewayFunction()),
                "the gateway did not wake " + resharder + ":live with one asynchronous invoke: " + woken);
        AwsEndpoint.AsyncInvocation run = woken.get(0);

        JsonNode operation;
        long tookMs;
        try (Pump pump = new Pump()) {
            operation = awaitEnd(id, run, pump, begin, deniedBefore);
            tookMs = System.currentTimeMillis() - begin; // from the POST to the poll that saw it ended
        }
        Smoke.expect(operation.path("state").asText().equals("done"), "operation " + id + " ended " + operation);
        // It read the source's stream through the DynamoDB Streams API, authorized by its policy.
        Set<String> streamCalls = new TreeSet<>(d.endpoint().allowedActions(resharder));
        streamCalls.retainAll(Set.of("dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"));
        Smoke.expect(streamCalls.size() == 3, resharder + " made no " + streamCalls + " call of the Streams API: "
                + d.endpoint().allowedActions(resharder));

        // The map the cutover published, as stored.
        JsonNode mapItem = d.raw().get(d.topology().controlTable(), "shardmap");
        Smoke.expect(mapItem != null, "no shard map item in " + d.topology().controlTable());
        ShardMap map = ShardMap.parse(mapItem.path("map").path("S").asText());
        List<String> ids = map.shards().stream().map(ShardEntry::id).toList();
        Smoke.expect(mapItem.path("epoch").path("N").asText().equals("2") && map.epoch() == 2
                && ids.equals(List.of("a-f", "g-l", "m-s", "t-z")), "the stored map is epoch " + mapItem.path("epoch")
                + " with " + ids + ", not epoch 2 with [a-f, g-l, m-s, t-z]");
        // Every key on the leader of the half that owns it now, and on its replicas through its own stream mapping.
        d.deliverStreams();
        for (String key : SPLIT_KEYS) {
            String owner = map.route(key).id();
            Smoke.expect(owner.equals(key.compareTo(SPLIT_AT) < 0 ? "a-f" : "g-l"), key + " is routed to " + owner);
            for (String table : concat(d.leaderOf(owner), d.replicasOf(owner))) {
                JsonNode item = d.raw().get(table, key);
                Smoke.expect(item != null && item.path("value").path("S").asText().contains(key),
                        table + " holds " + item + " for " + key);
            }
        }
        // The gateway routes by the new map: a new key to a-f, a strong read of an old key from g-l's leader.
        ApiEvents.Response write = d.http("PUT", "/v1/kv/c-after-split", "{\"after\":true}");
        Smoke.expect(write.status() == 201 && "a-f".equals(write.header("X-Shard")),
                "PUT c-after-split answered " + write + " from shard " + write.header("X-Shard"));
        ApiEvents.Response read = d.http("GET", "/v1/kv/h-split?consistency=strong", null);
        Smoke.expect(read.status() == 200 && "g-l/leader".equals(read.header("X-Served-By"))
                        && read.json().path("value").path("split").asText().equals("h-split"),
                "strong GET h-split answered " + read + " served by " + read.header("X-Served-By"));
        // A split whose halves are not staged is refused before anything is stored.
        ApiEvents.Response refused = d.http("POST", "/v1/admin/splits", "{\"shard\":\"m-s\",\"at\":\"p\"}");
        Smoke.expect(refused.status() == 409 && refused.json().path("type").asText().endsWith("shard-not-provisioned"),
                "POST /v1/admin/splits m-s at p answered " + refused);
        // The resharder's invocation ends once nothing is left to run.
        ExecutionEnvironment.Result result;
        try {
            result = run.result().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(resharder + " still runs 30 s after " + id + " is done"
                    + d.environment(resharder).tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(resharder + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        Smoke.expect(result.errorType() == null && Smoke.readJson(result.payload()).path("ran").asBoolean(),
                resharder + " answered " + result.text());
        return String.format("%s done in %.1f s, writes paused %s ms; map epoch 2 %s; %d keys on the halves' leaders and"
                + " replicas; source stream read via %s; PUT c-after-split -> a-f; strong GET h-split <- g-l/leader;"
                + " m-s at p: 409 shard-not-provisioned; %s answered %s", id, tookMs / 1000.0,
                operation.path("writePauseMs").asText(), ids, SPLIT_KEYS.size(),
                streamCalls.stream().map(a -> a.substring("dynamodb:".length())).toList(), resharder, result.text());
    }

    // ------------------------------------------------------------------------------------------ replicas

    static final String REPLICA_SHARD = "m-s";
    static final List<String> REPLICA_KEYS = List.of("n-replica", "p-replica", "r-replica");

    /**
     * A replica removed then added again through the admin routes, each run by the resharder the gateway's
     * asynchronous invoke starts: on AWS the table stays (Terraform made it from the topology, which the map no
     * longer follows after the removal), so the add empties it, copies the leader into it behind the stream the
     * replicator delivers, verifies it and publishes it.
     */
    String replicas() {
        List<String> tables = d.replicasOf(REPLICA_SHARD);
        int last = tables.size();
        Smoke.expect(last >= 2, "the smoke's topology gives " + REPLICA_SHARD + " " + last + " replicas, not 2 or more");
        for (String key : REPLICA_KEYS) {
            ApiEvents.Response r = d.http("PUT", "/v1/kv/" + key, "{\"replica\":\"" + key + "\"}");
            Smoke.expect(r.status() == 201 || r.status() == 200, "PUT " + key + " answered " + r);
        }
        long epoch = storedMap().epoch();
        JsonNode removed = runAdmin("DELETE", "/v1/admin/shards/" + REPLICA_SHARD + "/replicas/" + last);
        ShardMap after = storedMap();
        Smoke.expect(after.epoch() == epoch + 1 && after.shard(REPLICA_SHARD).orElseThrow().replicas()
                .equals(tables.subList(0, last - 1)), "after the removal the map is " + after.toJson());
        ApiEvents.Response refused = d.http("DELETE", "/v1/admin/shards/" + REPLICA_SHARD + "/replicas/" + last, null);
        Smoke.expect(refused.status() == 404 && refused.json().path("type").asText().endsWith("unknown-replica"),
                "DELETE of a replica no longer there answered " + refused);

        JsonNode added;
        try (Pump pump = new Pump()) {
            added = runAdmin("POST", "/v1/admin/shards/" + REPLICA_SHARD + "/replicas", pump);
        }
        ShardMap back = storedMap();
        Smoke.expect(back.epoch() == epoch + 2 && back.shard(REPLICA_SHARD).orElseThrow().replicas().equals(tables),
                "after the add the map is " + back.toJson());
        for (String key : REPLICA_KEYS) {
            JsonNode item = d.raw().get(tables.getLast(), key);
            Smoke.expect(item != null && item.path("value").path("S").asText().contains(key),
                    tables.getLast() + " holds " + item + " for " + key);
        }
        return String.format("%s removed %s (map epoch %d), %s added it back: copied %s, verified, map epoch %d;"
                + " a removed replica: 404 unknown-replica", removed.path("id").asText(), tables.getLast(), epoch + 1,
                added.path("id").asText(), added.path("progress").path("copied").asText(), epoch + 2);
    }

    private JsonNode runAdmin(String method, String path) {
        try (Pump pump = new Pump()) {
            return runAdmin(method, path, pump);
        }
    }

    /** Starts an operation through the gateway, checks it woke the resharder, and follows it to done. */
    private JsonNode runAdmin(String method, String path, Pump pump) {
        int asyncBefore = d.endpoint().asyncInvocations().size();
        int deniedBefore = d.endpoint().denied().size();
        long begin = System.currentTimeMillis();
        ApiEvents.Response started = d.http(method, path, null);
        Smoke.expect(started.status() == 202, method + " " + path + " answered " + started);
        String id = started.json().path("id").asText();
        List<AwsEndpoint.AsyncInvocation> woken = d.endpoint().asyncInvocations().subList(asyncBefore,
                d.endpoint().asyncInvocations().size());
        Smoke.expect(woken.size() == 1 && woken.get(0).function().equals(d.topology().resharderFunction()),
                "the gateway did not wake the resharder with one asynchronous invoke: " + woken);
        JsonNode operation = awaitEnd(id, woken.get(0), pump, begin, deniedBefore);
        Smoke.expect(operation.path("state").asText().equals("done"), "operation " + id + " ended " + operation);
        try {
            woken.get(0).result().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("the resharder did not return after " + id + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return operation;
    }

    private ShardMap storedMap() {
        JsonNode mapItem = d.raw().get(d.topology().controlTable(), "shardmap");
        Smoke.expect(mapItem != null, "no shard map item in " + d.topology().controlTable());
        return ShardMap.parse(mapItem.path("map").path("S").asText());
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** Polls the operation through the gateway until it has ended, the resharder has returned, or the limit is up. */
    private JsonNode awaitEnd(String id, AwsEndpoint.AsyncInvocation run, Pump pump, long begin, int deniedBefore) {
        while (true) {
            ApiEvents.Response r = d.http("GET", "/v1/admin/operations/" + id, null);
            Smoke.expect(r.status() == 200, "GET /v1/admin/operations/" + id + " answered " + r);
            String state = r.json().path("state").asText();
            if (state.equals("done") || state.equals("failed") || state.equals("aborted")) {
                return r.json();
            }
            pump.rethrow();
            // The resharder retries a refused call for as long as it runs: a refusal ends the wait (the iam step lists them all).
            List<String> denied = d.endpoint().denied();
            if (denied.size() > deniedBefore) {
                throw new IllegalStateException(id + " is " + state + " and IAM refused " + denied.get(deniedBefore));
            }
            if (run.result().isDone()) {
                String how = run.result().isCompletedExceptionally() ? "failed" : run.result().join().text();
                throw new IllegalStateException("the resharder returned (" + how + ") with " + id + " " + state
                        + d.environment(run.function()).tail());
            }
            if (System.currentTimeMillis() - begin > SPLIT_LIMIT_MS) {
                throw new IllegalStateException(id + " not done in " + SPLIT_LIMIT_MS / 1000 + " s: " + r.body()
                        + d.environment(run.function()).tail());
            }
            sleep(500);
        }
    }

    /**
     * What Lambda does on its own while an operation runs: the event source mappings deliver every stream to its
     * replicator (the targets' replicas fill as they would on AWS) and the heartbeat beats every leader (so the
     * targets' replicas have a lag under a second, which the cutover waits for). On its own thread until closed.
     */
    private final class Pump implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        private volatile RuntimeException failure;

        Pump() {
            thread = Thread.ofPlatform().daemon().name("smoke-pump").start(this::run);
        }

        private void run() {
            long lastBeat = 0;
            while (!stop) {
                try {
                    if (System.currentTimeMillis() - lastBeat >= 500) {
                        lastBeat = System.currentTimeMillis();
                        beat();
                    }
                    d.deliverStreams();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | AssertionError e) {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
                    return;
                }
            }
        }

        void rethrow() {
            if (failure != null) {
                throw new IllegalStateException("while the split ran: " + failure.getMessage(), failure);
            }
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rethrow();
        }
    }

    String everyFunction() {
        List<String> cold = new ArrayList<>();
        for (TerraformPlan.Function f : d.plan().functions()) {
            if (!d.environment(f.name()).started()) {
                cold.add(f.name());
                d.environment(f.name()).start();
            }
        }
        for (TerraformPlan.Function f : d.plan().functions()) {
            d.environment(f.name()).awaitStarted();
        }
        return d.plan().functions().size() + " functions initialized" + (cold.isEmpty() ? "" : " (" + cold.size()
                + " only started, no step invoked them: " + cold + ")");
    }

    String iam() {
        List<String> denied = d.endpoint().denied();
        if (!denied.isEmpty()) {
            // Each distinct refusal once, in the order first seen, with how often it came (a retrying caller repeats it).
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            denied.forEach(line -> counts.merge(line, 1L, Long::sum));
            throw new IllegalStateException(denied.size() + " call(s) refused:\n      " + String.join("\n      ", counts.entrySet()
                    .stream().map(e -> e.getKey() + (e.getValue() > 1 ? " (" + e.getValue() + " times)" : "")).toList()));
        }
        return d.endpoint().checked() + " authorizations checked, none refused";
    }
}
