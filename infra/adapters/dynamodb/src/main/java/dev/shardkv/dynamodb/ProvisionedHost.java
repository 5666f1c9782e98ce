package dev.shardkv.dynamodb;

import dev.shardkv.core.reshard.ShardHost;
import dev.shardkv.core.topology.ShardEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A reshard's shards on AWS: Terraform made their tables, functions and stream mappings (the topology's
 * {@code staged} shards), so opening one only checks that they are there and, for a fresh operation,
 * empties them; and a retired shard is left to the next {@code terraform apply} of a topology without it,
 * since deleting a table Terraform manages here would only have the next apply make it again.
 */
public final class ProvisionedHost implements ShardHost {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionedHost.class);
    private static final int BATCH = 25; // BatchWriteItem's limit
    private final DynamoDbClient dynamo;
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    public ProvisionedHost(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public void open(ShardEntry target, boolean fresh) {
        TableDescription leader = describe(target, target.leader());
        if (leader.streamSpecification() == null || !Boolean.TRUE.equals(leader.streamSpecification().streamEnabled())) {
            throw new IllegalStateException("table " + target.leader() + " has no stream: its replicas would never fill");
        }
        target.replicas().forEach(replica -> describe(target, replica));
        if (fresh) {
            // A merge back reuses a retired shard's id, an aborted target left its copy: start from empty,
            // the fence and heartbeat items of a reused leader included. The leader's deletes reach its
            // replicas through its stream too; emptying them here does not wait for that.
            empty(target.leader());
            target.replicas().forEach(this::empty);
        }
    }

    @Override
    public void drop(ShardEntry shard) {
        if (told.add(shard.leader())) {
            LOG.info("shard {} is out of the shard map: remove it from topology.json and run terraform apply to"
                    + " delete its tables and functions", shard.id());
        }
    }

    /**
     * Terraform made the table when topology.json gave the shard this many replicas, and the replicator, whose
     * topology names it, feeds it from then on: only check that it is there, and empty it for a fresh start.
     */
    @Override
    public void openReplica(ShardEntry shard, String table, boolean fresh) {
        try {
            TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
            if (description.tableStatus() != TableStatus.ACTIVE) {
                throw new IllegalStateException("table " + table + " is " + description.tableStatusAsString()
                        + ", not ACTIVE: wait for terraform apply to finish");
            }
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("table " + table + " does not exist: set \"replicas\": "
                    + shard.replicaCount() + " for shard " + shard.id() + " in topology.json and run terraform apply", e);
        }
        if (fresh) {
            empty(table); // a replica removed before, whose table the topology kept
        }
    }

    @Override
    public void dropReplica(ShardEntry shard, String table) {
        if (told.add(table)) {
            LOG.info("replica table {} is out of the shard map: set \"replicas\": {} for shard {} in topology.json and"
                    + " run terraform apply to delete it", table, shard.replicaCount(), shard.id());
        }
    }

    private TableDescription describe(ShardEntry shard, String table) {
        try {
            TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
            if (description.tableStatus() != TableStatus.ACTIVE) {
                throw new IllegalStateException("table " + table + " is " + description.tableStatusAsString()
                        + ", not ACTIVE: wait for terraform apply to finish");
            }
            return description;
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("table " + table + " does not exist: add {\"id\": \"" + shard.id()
                    + "\", \"replicas\": " + shard.replicas().size() + "} to \"staged\" in topology.json and run"
                    + " terraform apply", e);
        }
    }

    private void empty(String table) {
        long removed = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(table).consistentRead(true).projectionExpression("#pk")
                    .expressionAttributeNames(Map.of("#pk", ItemAttributes.PK)).exclusiveStartKey(from));
            List<WriteRequest> deletes = new ArrayList<>();
            for (Map<String, AttributeValue> key : page.items()) {
                deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
            }
            for (int i = 0; i < deletes.size(); i += BATCH) {
                write(table, deletes.subList(i, Math.min(deletes.size(), i + BATCH)));
            }
            removed += deletes.size();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (removed > 0) {
            LOG.info("emptied {}: {} items left from an earlier shard of that name", table, removed);
        }
    }

    private void write(String table, List<WriteRequest> batch) {
        List<WriteRequest> left = batch;
        for (int attempt = 0; !left.isEmpty(); attempt++) {
            List<WriteRequest> now = left;
            var response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, now)));
            left = response.unprocessedItems().getOrDefault(table, List.of());
            if (!left.isEmpty()) {
                try {
                    Thread.sleep(Math.min(1_000, 50L << Math.min(attempt, 5)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while emptying " + table, e);
                }
            }
        }
    }
}
