package dev.shardkv.bench;

import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.dynamodb.TableProvisioner;
import dev.shardkv.embedded.DynamoDbLocal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Raw DynamoDB Local (PutItem/GetItem on one table, in-process) with the same workers, time and key space as the system. */
final class RawBaseline {
    private final Driver driver;
    private final Duration warmup;
    private final Duration duration;
    private final String[] keySpace;

    RawBaseline(Driver driver, Duration warmup, Duration duration, String[] keySpace) {
        this.driver = driver;
        this.warmup = warmup;
        this.duration = duration;
        this.keySpace = keySpace;
    }

    /** Raw operations per second with this share of PutItem among them. */
    Driver.Phase measure(double writeShare) {
        double readRatio = 1 - writeShare;
        try (DynamoDbLocal local = DynamoDbLocal.inProcess(null)) {
            DynamoDbClient dynamo = local.dynamo();
            new TableProvisioner(dynamo).create("baseline", false);
            for (String key : keySpace) {
                put(dynamo, key);
            }
            driver.drive(warmup, i -> { }, (worker, n) -> request(dynamo, readRatio, null));
            return driver.measure(duration, (worker, n, stats) -> request(dynamo, readRatio, stats));
        }
    }

    private void request(DynamoDbClient dynamo, double readRatio, Stats stats) {
        String key = keySpace[ThreadLocalRandom.current().nextInt(keySpace.length)];
        boolean read = ThreadLocalRandom.current().nextDouble() < readRatio;
        long start = System.nanoTime();
        try {
            if (read) {
                dynamo.getItem(b -> b.tableName("baseline").key(ItemAttributes.key(key)));
            } else {
                put(dynamo, key);
            }
            if (stats != null) {
                stats.recordMicros((System.nanoTime() - start) / 1_000);
                (read ? driver.reads : driver.writes).increment();
            }
        } catch (RuntimeException e) {
            driver.errors.increment();
        }
    }

    private static void put(DynamoDbClient dynamo, String key) {
        dynamo.putItem(b -> b.tableName("baseline").item(Map.of(
                ItemAttributes.PK, AttributeValue.fromS(key),
                ItemAttributes.VALUE, AttributeValue.fromS("{\"n\":1,\"pad\":\"0123456789abcdef0123456789abcdef\"}"),
                ItemAttributes.VERSION, AttributeValue.fromN("1"),
                ItemAttributes.TS, AttributeValue.fromN(Long.toString(System.currentTimeMillis())))));
    }
}
