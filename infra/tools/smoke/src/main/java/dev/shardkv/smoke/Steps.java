package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        TerraformPlan.StreamMapping mapping = d.plan().streams().get(0);
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
            throw new IllegalStateException(denied.size() + " call(s) refused:\n      " + String.join("\n      ", denied));
        }
        return d.endpoint().checked() + " authorizations checked, none refused";
    }
}
