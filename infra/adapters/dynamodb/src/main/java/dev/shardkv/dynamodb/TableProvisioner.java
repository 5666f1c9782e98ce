package dev.shardkv.dynamodb;

import dev.shardkv.core.topology.ShardSpec;
import dev.shardkv.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Creates the tables a topology needs, as Terraform does on AWS: the control table, and per shard a
 * leader (streaming NEW_AND_OLD_IMAGES, TTL on {@code expiresAt}) and its replicas (TTL too).
 * Existing tables are left as they are, so a restart on a data directory keeps its data.
 */
public final class TableProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TableProvisioner.class);
    private final DynamoDbClient dynamo;

    public TableProvisioner(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /**
     * Makes the topology's tables, staged shards' included, as Terraform does. Returns the names of the
     * tables it created (not those that were there already).
     */
    public List<String> provision(Topology topology) {
        List<String> created = new ArrayList<>();
        if (create(topology.controlTable(), false)) {
            created.add(topology.controlTable());
        }
        for (ShardSpec shard : Stream.concat(topology.shards().stream(), topology.staged().stream()).toList()) {
            if (create(topology.leaderTable(shard.id()), true)) {
                created.add(topology.leaderTable(shard.id()));
            }
            for (String replica : topology.replicaTables(shard.id())) {
                if (create(replica, false)) {
                    created.add(replica);
                }
            }
        }
        return created;
    }

    /** Creates one table; false when it already exists. */
    public boolean create(String table, boolean stream) {
        try {
            dynamo.createTable(b -> {
                b.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder()
                                .attributeName(ItemAttributes.PK).attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName(ItemAttributes.PK).keyType(KeyType.HASH).build());
                if (stream) {
                    b.streamSpecification(StreamSpecification.builder()
                            .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build());
                }
            });
        } catch (ResourceInUseException e) {
            return false;
        }
        waitUntilActive(table);
        if (!table.endsWith("-control")) {
            dynamo.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(ItemAttributes.EXPIRES_AT)));
        }
        LOG.debug("created table {}", table);
        return true;
    }

    /** Deletes a table; false when there was none. */
    public boolean delete(String table) {
        try {
            dynamo.deleteTable(b -> b.tableName(table));
            LOG.debug("deleted table {}", table);
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** The ARN of a leader table's stream. */
    public String streamArn(String table) {
        String arn = dynamo.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream");
        }
        return arn;
    }

    private void waitUntilActive(String table) {
        for (int i = 0; i < 600; i++) {
            if (dynamo.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating " + table, e);
            }
        }
        throw new IllegalStateException("table " + table + " did not become active");
    }
}
