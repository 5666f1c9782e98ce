package dev.shardkv.dynamodb;

import static dev.shardkv.dynamodb.ItemAttributes.n;
import static dev.shardkv.dynamodb.ItemAttributes.s;

import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.store.OperationRefusals;
import dev.shardkv.core.store.OperationStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Operations in the control table, beside the shard map: {@code pk = "op#<id>"} holds the operation as
 * JSON in {@code operation} and its {@code version} (a save is conditional on it); {@code pk =
 * "lock#<shard>"} holds the id of the operation that has the shard, in {@code operation}. A create puts
 * the operation and its locks in one transaction, each only where no item is, so it is all or nothing.
 *
 * <p>{@link #list} and {@link #locks} scan: the table has the map, a few checkpoints, one item per
 * operation ever run and one per lock held, which a scan reads in a page or two, and its key is a
 * partition key only, so a query would need an index kept for a handful of items.
 */
public final class DynamoOperationStore implements OperationStore {
    public static final String OPERATION_PREFIX = "op#";
    public static final String LOCK_PREFIX = "lock#";
    /** An abort asked of whoever runs the operation: {@code pk = "abort#<id>"}. */
    public static final String ABORT_PREFIX = "abort#";
    /** The runner lease: {@code holder} has it until {@code until} (epoch ms). */
    public static final String LEASE_PK = "lease#resharder";
    private static final String HOLDER = "holder";
    private static final String UNTIL = "until";
    /** On an operation item: its JSON; on a lock item: the id of the operation holding it. */
    public static final String OPERATION = "operation";
    /** On a lock item: when it was taken (epoch ms), for whoever looks at the table. */
    public static final String SINCE = "since";

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final int TRIES = 3;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOperationStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(Operation operation) {
        if (!operation.isActive()) {
            throw new IllegalArgumentException("operation " + operation.id() + " has ended already");
        }
        List<TransactWriteItem> puts = new ArrayList<>();
        puts.add(absent(item(operation)));
        for (String shard : operation.shards()) {
            puts.add(absent(Map.of(ItemAttributes.PK, s(LOCK_PREFIX + shard), OPERATION, s(operation.id()),
                    SINCE, n(operation.createdAt()))));
        }
        // A try can also lose to a concurrent transaction on a lock, or find a lock gone by the time it
        // reads who held it: then the next try settles it.
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(puts));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (!reasons.isEmpty() && CONDITION_FAILED.equals(reasons.getFirst().code())) {
                    // The SDK retries a call whose answer was lost: the operation there may be this one.
                    if (get(operation.id()).filter(operation::equals).isPresent()) {
                        return;
                    }
                    throw OperationRefusals.taken(operation);
                }
                for (int i = 1; i < reasons.size(); i++) {
                    String shard = operation.shards().get(i - 1);
                    Optional<String> holder = CONDITION_FAILED.equals(reasons.get(i).code()) ? holder(shard) : Optional.empty();
                    if (holder.isPresent()) {
                        throw OperationRefusals.busy(operation, shard, holder.get());
                    }
                }
                if (attempt < TRIES) {
                    pause(attempt);
                }
            }
        }
        throw OperationRefusals.contended(operation);
    }

    @Override
    public Operation save(Operation operation) {
        Operation next = operation.withVersion(operation.version() + 1);
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(next))
                    .conditionExpression("#ver = :expected")
                    .expressionAttributeNames(Map.of("#ver", ItemAttributes.VERSION))
                    .expressionAttributeValues(Map.of(":expected", n(operation.version()))));
            return next;
        } catch (ConditionalCheckFailedException e) {
            throw OperationRefusals.stale(operation);
        }
    }

    @Override
    public Optional<Operation> get(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ItemAttributes.key(OPERATION_PREFIX + id)).consistentRead(true)).item();
        return item == null || !item.containsKey(OPERATION) ? Optional.empty()
                : Optional.of(Operation.parse(item.get(OPERATION).s()));
    }

    @Override
    public List<Operation> list() {
        List<Operation> newest = new ArrayList<>();
        scan(OPERATION_PREFIX, item -> newest.add(Operation.parse(item.get(OPERATION).s())));
        newest.sort(Comparator.comparing(Operation::id).reversed());
        return List.copyOf(newest.subList(0, Math.min(LIST_LIMIT, newest.size())));
    }

    @Override
    public Map<String, String> locks() {
        Map<String, String> locks = new TreeMap<>();
        scan(LOCK_PREFIX, item -> locks.put(item.get(ItemAttributes.PK).s().substring(LOCK_PREFIX.length()),
                item.get(OPERATION).s()));
        return locks;
    }

    @Override
    public void release(Operation operation) {
        if (operation.isActive()) {
            throw OperationRefusals.stillActive(operation);
        }
        for (String shard : operation.shards()) {
            try {
                dynamo.deleteItem(b -> b.tableName(table).key(ItemAttributes.key(LOCK_PREFIX + shard))
                        .conditionExpression("#op = :id")
                        .expressionAttributeNames(Map.of("#op", OPERATION))
                        .expressionAttributeValues(Map.of(":id", s(operation.id()))));
            } catch (ConditionalCheckFailedException e) {
                // Released already, or another operation's now: either way not this one's to drop.
            }
        }
    }

    @Override
    public void requestAbort(String id) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(ItemAttributes.PK, s(ABORT_PREFIX + id))));
    }

    @Override
    public boolean abortRequested(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ItemAttributes.key(ABORT_PREFIX + id)).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    @Override
    public boolean lease(String holder, long nowMs, long untilMs) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(ItemAttributes.PK, s(LEASE_PK), HOLDER, s(holder), UNTIL, n(untilMs)))
                    .conditionExpression("attribute_not_exists(#pk) OR #holder = :holder OR #until < :now")
                    .expressionAttributeNames(Map.of("#pk", ItemAttributes.PK, "#holder", HOLDER, "#until", UNTIL))
                    .expressionAttributeValues(Map.of(":holder", s(holder), ":now", n(nowMs))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void unlease(String holder) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(ItemAttributes.key(LEASE_PK))
                    .conditionExpression("#holder = :holder")
                    .expressionAttributeNames(Map.of("#holder", HOLDER))
                    .expressionAttributeValues(Map.of(":holder", s(holder))));
        } catch (ConditionalCheckFailedException e) {
            // Expired and taken by another runner: not this one's to give back.
        }
    }

    private Optional<String> holder(String shard) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(ItemAttributes.key(LOCK_PREFIX + shard)).consistentRead(true)).item();
        return item == null || !item.containsKey(OPERATION) ? Optional.empty() : Optional.of(item.get(OPERATION).s());
    }

    private void scan(String prefix, Consumer<Map<String, AttributeValue>> each) {
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                .filterExpression("begins_with(#pk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", ItemAttributes.PK))
                .expressionAttributeValues(Map.of(":prefix", s(prefix))))
                .items().forEach(each);
    }

    private static Map<String, AttributeValue> item(Operation operation) {
        return Map.of(ItemAttributes.PK, s(OPERATION_PREFIX + operation.id()), OPERATION, s(operation.toJson()),
                ItemAttributes.VERSION, n(operation.version()));
    }

    private TransactWriteItem absent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", ItemAttributes.PK)).build()).build();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating an operation", e);
        }
    }
}
