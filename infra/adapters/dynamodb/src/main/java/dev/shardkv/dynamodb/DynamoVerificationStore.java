package dev.shardkv.dynamodb;

import static dev.shardkv.dynamodb.ItemAttributes.longOf;
import static dev.shardkv.dynamodb.ItemAttributes.n;
import static dev.shardkv.dynamodb.ItemAttributes.s;

import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.verify.LastVerification;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Each replica's last verification in the control table: {@code pk = "check#<replica table>"} with the shard,
 * the replica table, {@code at}, the counts ({@code unrepaired} too, for whoever looks at the table) and the
 * operation's id. A verification puts it, replacing the one before.
 *
 * <p>Read with BatchGetItem by the tables the caller names (the shard map's replicas), not with a Scan: the
 * gateway reads it every second, and a Scan would read the whole control table each time, every operation ever
 * run included. Reads are eventually consistent: the gateway's copy may be a second old anyway.
 */
public final class DynamoVerificationStore implements VerificationStore {
    public static final String PREFIX = "check#";
    private static final int MAX_BATCH_GET = 100;
    private static final int TRIES = 8;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoVerificationStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(LastVerification last) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ItemAttributes.PK, s(PREFIX + last.replica()));
        item.put("shard", s(last.shard()));
        item.put("replica", s(last.replica()));
        item.put("at", n(last.at()));
        item.put("missing", n(last.missing()));
        item.put("different", n(last.different()));
        item.put("extra", n(last.extra()));
        item.put("repaired", n(last.repaired()));
        item.put("unrepaired", n(last.unrepaired()));
        item.put("operation", s(last.operation()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Map<String, LastVerification> last(Collection<String> replicaTables) {
        List<String> tables = List.copyOf(new TreeSet<>(replicaTables)); // BatchGetItem refuses a key twice
        Map<String, LastVerification> found = new TreeMap<>();
        for (int from = 0; from < tables.size(); from += MAX_BATCH_GET) {
            List<Map<String, AttributeValue>> pending = new ArrayList<>();
            tables.subList(from, Math.min(tables.size(), from + MAX_BATCH_GET))
                    .forEach(t -> pending.add(ItemAttributes.key(PREFIX + t)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                backoff(attempt);
                List<Map<String, AttributeValue>> keys = List.copyOf(pending);
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(
                        Map.of(table, KeysAndAttributes.builder().keys(keys).build())));
                response.responses().getOrDefault(table, List.of()).forEach(i -> found.put(i.get("replica").s(), of(i)));
                pending.clear();
                if (response.hasUnprocessedKeys() && response.unprocessedKeys().containsKey(table)) {
                    pending.addAll(response.unprocessedKeys().get(table).keys());
                }
            }
        }
        return found;
    }

    @Override
    public void forget(String replicaTable) {
        dynamo.deleteItem(b -> b.tableName(table).key(ItemAttributes.key(PREFIX + replicaTable)));
    }

    private static LastVerification of(Map<String, AttributeValue> item) {
        return new LastVerification(item.get("shard").s(), item.get("replica").s(), longOf(item.get("at"), 0),
                longOf(item.get("missing"), 0), longOf(item.get("different"), 0), longOf(item.get("extra"), 0),
                longOf(item.get("repaired"), 0), item.get("operation").s());
    }

    /** Unprocessed keys mean throttling: back off, and give up after a few tries (the caller reads again later). */
    private void backoff(int attempt) {
        if (attempt == TRIES) {
            throw new IllegalStateException("the control table " + table + " left keys unprocessed after retries");
        }
        if (attempt > 0) {
            try {
                Thread.sleep(Math.min(200, 10L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading verifications", e);
            }
        }
    }
}
