package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.Consistency;
import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;

/**
 * A read's consistency choice with its parameters, checked as a whole.
 *
 * @param maxLagMs for {@code bounded}: how far behind, at most, the replica that answers may be (its lag)
 */
public record ReadOptions(Consistency consistency, long maxLagMs, ConsistencyToken token) {
    public static final long MAX_LAG_LIMIT_MS = 3_600_000L;
    public static final ReadOptions EVENTUAL = new ReadOptions(Consistency.EVENTUAL, 0, ConsistencyToken.EMPTY);
    public static final ReadOptions STRONG = new ReadOptions(Consistency.STRONG, 0, ConsistencyToken.EMPTY);

    /** From request text: {@code consistency}, {@code maxLagMs}, the consistency token. */
    public static ReadOptions parse(String consistencyText, String maxLagText, String tokenText) {
        Consistency consistency = Consistency.parse(consistencyText);
        boolean hasBound = maxLagText != null && !maxLagText.isBlank();
        long bound = 0;
        if (consistency == Consistency.BOUNDED) {
            if (!hasBound) {
                throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                        "consistency=bounded needs maxLagMs, the lag bound in milliseconds.");
            }
            try {
                bound = Long.parseLong(maxLagText.trim());
            } catch (NumberFormatException e) {
                bound = -1;
            }
            if (bound < 0 || bound > MAX_LAG_LIMIT_MS) {
                throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                        "maxLagMs must be a whole number of milliseconds from 0 to " + MAX_LAG_LIMIT_MS
                                + "; got \"" + maxLagText + "\".");
            }
        } else if (hasBound) {
            throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                    "maxLagMs applies only to consistency=bounded, not " + consistency.json() + ".");
        }
        ConsistencyToken token = consistency == Consistency.SESSION ? ConsistencyToken.parse(tokenText)
                : ConsistencyToken.EMPTY;
        return new ReadOptions(consistency, bound, token);
    }
}
