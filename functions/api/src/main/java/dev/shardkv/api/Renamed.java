package dev.shardkv.api;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.gateway.ReadOptions;

/**
 * Request names the API had before and what replaced them. A request that still sends an old name and not
 * the new one is refused (400) with a detail saying so, never answered as if the parameter were absent.
 */
public final class Renamed {
    /** The bound of {@code consistency=bounded} (query parameter, batchGet body field); now {@code maxLagMs}. */
    public static final String MAX_STALENESS_MS = "maxStalenessMs";
    /** The header form of that bound; now {@link Headers#MAX_LAG_MS}. */
    public static final String MAX_STALENESS_HEADER = "X-Max-Staleness-Ms";

    static final String MAX_STALENESS_DETAIL = "maxStalenessMs (header X-Max-Staleness-Ms) was renamed maxLagMs "
            + "(header " + Headers.MAX_LAG_MS + "): send the bound of consistency=bounded, in milliseconds, as maxLagMs.";

    private Renamed() {
    }

    /**
     * The read's consistency choice, as {@link ReadOptions#parse} reads it; refused when the bound comes only
     * under its old name ({@code oldBounds}: the values sent as {@code maxStalenessMs} or {@code X-Max-Staleness-Ms}).
     */
    public static ReadOptions readOptions(String consistency, String maxLagMs, String token, String... oldBounds) {
        boolean hasBound = maxLagMs != null && !maxLagMs.isBlank();
        for (String old : oldBounds) {
            if (!hasBound && old != null && !old.isBlank()) {
                throw new ShardKvException(ProblemType.INVALID_CONSISTENCY, MAX_STALENESS_DETAIL);
            }
        }
        return ReadOptions.parse(consistency, maxLagMs, token);
    }
}
