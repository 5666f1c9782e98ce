package dev.shardkv.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.gateway.QueryAnswer;
import dev.shardkv.core.gateway.QueryRequest;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.query.Filter;
import dev.shardkv.core.query.QueryKind;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scatter-gather latency against the number of shards: the same items loaded into each topology,
 * then the same queries, one at a time on an otherwise idle system. Fan-out is parallel, so latency
 * should not grow with the shard count (cost does: every shard scans its part).
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Scatter-gather latency with 3 and 12 shards (same data, idle system).")
final class QueryBench implements Runnable {
    @Option(names = "--topologies", split = ",", defaultValue = "topology.json,infra/tools/bench/topologies/range-12.json",
            description = "topology files to compare (default ${DEFAULT-VALUE})")
    List<Path> topologies;

    @Option(names = "--items", defaultValue = "3000", description = "items loaded (default ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--runs", defaultValue = "100", description = "queries of each kind (default ${DEFAULT-VALUE})")
    int runs;

    @Mixin
    JsonOutput json;

    /** One entry per topology, consistency and query: what --json prints. */
    private ArrayNode results;

    @Override
    public void run() {
        ObjectNode report = json.object().put("items", items).put("runs", runs);
        results = report.putArray("results");
        json.progress().printf("query: %d items (keys spread over a-z), %d runs of each query, one at a time, in-process%n",
                items, runs);
        for (Path file : topologies) {
            Topology topology = Topology.load(file);
            try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology))) {
                for (int i = 0; i < items; i++) {
                    String key = (char) ('a' + i % 26) + "-item-" + i;
                    cluster.gateway().put(key, "{\"score\":" + (i * 7919 % 1000) + ",\"plan\":\"" + (i % 4 == 0 ? "gold" : "free") + "\"}",
                            Precondition.NONE, ConsistencyToken.EMPTY);
                }
                // Let every replica catch up, so that eventual queries see the same data everywhere.
                awaitReplicas(cluster);
                for (Consistency consistency : new Consistency[] {Consistency.EVENTUAL, Consistency.STRONG}) {
                    measure(cluster, topology, "count", consistency,
                            new QueryRequest(QueryKind.COUNT, "", null, null, 0, null, consistency, 10_000));
                    measure(cluster, topology, "top n=10 by score", consistency,
                            new QueryRequest(QueryKind.TOP, "", null, "score", 10, null, consistency, 10_000));
                    measure(cluster, topology, "scan plan=gold limit=100", consistency,
                            new QueryRequest(QueryKind.SCAN, "", new Filter("plan", Filter.Op.EQ, "gold"), null, 100,
                                    null, consistency, 10_000));
                }
            }
        }
        if (json.on) {
            json.print(report);
        }
    }

    private void measure(EmbeddedCluster cluster, Topology topology, String name, Consistency consistency, QueryRequest q) {
        Stats stats = new Stats();
        long partial = 0;
        for (int i = 0; i < 5; i++) {
            cluster.gateway().query(q); // warm up
        }
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            QueryAnswer answer = cluster.gateway().query(q);
            stats.recordMicros((System.nanoTime() - start) / 1_000);
            partial += answer.partial() ? 1 : 0;
        }
        json.progress().printf("  %2d shards  %-9s %-26s %s  partial=%d%n", topology.shards().size(),
                consistency.json(), name, stats.millis(), partial);
        stats.json(results.addObject().put("shards", topology.shards().size()).put("consistency", consistency.json())
                .put("query", name)).put("partial", partial);
    }

    private static void awaitReplicas(EmbeddedCluster cluster) {
        long deadline = System.currentTimeMillis() + 60_000;
        QueryRequest strong = new QueryRequest(QueryKind.COUNT, "", null, null, 0, null, Consistency.STRONG, 10_000);
        QueryRequest eventual = new QueryRequest(QueryKind.COUNT, "", null, null, 0, null, Consistency.EVENTUAL, 10_000);
        while (System.currentTimeMillis() < deadline) {
            if (cluster.gateway().query(strong).count().equals(cluster.gateway().query(eventual).count())) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
