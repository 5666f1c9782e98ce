package dev.shardkv.core.gateway;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.tx.TxOp;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a transaction may be, checked at the edge before anything is routed: DynamoDB's limits and well-formed operations. */
final class TxValidation {
    /** DynamoDB's limit on the items of one transaction. */
    static final int MAX_OPERATIONS = 100;
    /** DynamoDB's limit on the size of one transaction. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private TxValidation() {
    }

    static void validate(List<TxOp> operations) {
        if (operations == null || operations.isEmpty() || operations.size() > MAX_OPERATIONS) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    "operations must list 1 to " + MAX_OPERATIONS + " operations; got "
                            + (operations == null ? 0 : operations.size()) + ".", Map.of("limit", MAX_OPERATIONS));
        }
        Set<String> seen = new HashSet<>();
        long bytes = 0;
        for (int i = 0; i < operations.size(); i++) {
            bytes += validate(operations.get(i), i, seen);
        }
        if (bytes > MAX_BYTES) {
            throw new ShardKvException(ProblemType.VALUE_TOO_LARGE,
                    "The transaction writes %d bytes; DynamoDB takes at most %d in one transaction.".formatted(bytes, MAX_BYTES),
                    Map.of("bytes", bytes, "limit", MAX_BYTES));
        }
    }

    /** Checks one operation; answers the bytes it writes. */
    private static long validate(TxOp op, int i, Set<String> seen) {
        String where = "operations[" + i + "]";
        if (op == null || op.op() == null) {
            throw invalid(where + " needs an op: put, delete or check.");
        }
        try {
            Keys.requireClientKey(op.key());
        } catch (ShardKvException e) {
            throw new ShardKvException(e.type(), where + ": " + e.detail(), Map.of("index", i));
        }
        if (!seen.add(op.key())) {
            throw new ShardKvException(ProblemType.INVALID_REQUEST,
                    where + " names the key \"" + op.key() + "\" again; a transaction touches each key once.",
                    Map.of("index", i, "key", op.key()));
        }
        if (op.version() != null && op.version() < 0) {
            throw invalid(where + ": version must be 0 or more.");
        }
        return switch (op.op()) {
            case PUT -> {
                if (op.value() == null) {
                    throw invalid(where + ": a put needs a value.");
                }
                ValueCodec.requireWithinLimit(op.value());
                yield op.value().length() + op.key().length();
            }
            case DELETE -> {
                if (op.value() != null) {
                    throw invalid(where + ": a delete takes no value.");
                }
                yield 0;
            }
            case CHECK -> {
                if (op.version() == null) {
                    throw invalid(where + ": a check needs the version to check (0: the key must not exist).");
                }
                if (op.value() != null) {
                    throw invalid(where + ": a check takes no value.");
                }
                yield 0;
            }
        };
    }

    private static ShardKvException invalid(String detail) {
        return new ShardKvException(ProblemType.INVALID_REQUEST, detail);
    }
}
