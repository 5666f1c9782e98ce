package dev.shardkv.embedded.testing;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.embedded.EmbeddedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Looks at the tables themselves, not through the API, to check where things landed. */
public final class Tables {
    private Tables() {
    }

    public static StoredItem item(EmbeddedCluster cluster, String table, String key) {
        return ItemAttributes.fromItem(cluster.dynamo().getItem(b -> b.tableName(table)
                .key(ItemAttributes.key(key)).consistentRead(true)).item());
    }

    public static StoredItem awaitVersion(EmbeddedCluster cluster, String table, String key, long version, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        StoredItem item = null;
        while (System.nanoTime() < deadline) {
            item = item(cluster, table, key);
            if (item != null && item.version() >= version) {
                return item;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(key + " v" + version + " did not reach " + table + " within " + within + " (has " + item + ")");
    }

    /** Every client item in every leader table: where every write lands first. */
    public static List<StoredItem> leaders(EmbeddedCluster cluster) {
        List<StoredItem> items = new ArrayList<>();
        for (ShardEntry shard : cluster.shardMap().shards()) {
            cluster.dynamo().scanPaginator(b -> b.tableName(shard.leader()).consistentRead(true)).items().forEach(i -> {
                if (!Keys.isReserved(i.get(ItemAttributes.PK).s())) {
                    items.add(ItemAttributes.fromItem(i));
                }
            });
        }
        return items;
    }

    /** Every client item in every leader and replica table (heartbeats and watermarks excluded). */
    public static List<StoredItem> everything(EmbeddedCluster cluster) {
        List<StoredItem> items = new ArrayList<>();
        for (ShardEntry shard : cluster.shardMap().shards()) {
            List<String> tables = new ArrayList<>(shard.replicas());
            tables.add(0, shard.leader());
            for (String table : tables) {
                cluster.dynamo().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(i -> {
                    AttributeValue pk = i.get(ItemAttributes.PK);
                    if (!Keys.isReserved(pk.s())) {
                        items.add(ItemAttributes.fromItem(i));
                    }
                });
            }
        }
        return items;
    }
}
