package dev.shardkv.core.consistency;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client has written, per shard: the newest leader commit time of its writes there. A session
 * read uses a replica only if the replica's watermark covers the shard's entry. Opaque to clients:
 * {@code v1.} + base64url of {@code shard=ts;shard=ts}.
 */
public record ConsistencyToken(Map<String, Long> commits) {
    private static final String VERSION = "v1.";
    /** Room for about a hundred shards; a longer token is not one ShardKV issued. */
    public static final int MAX_CHARS = 4096;
    public static final ConsistencyToken EMPTY = new ConsistencyToken(Map.of());

    public ConsistencyToken {
        commits = Map.copyOf(new TreeMap<>(commits));
    }

    public static ConsistencyToken of(String shard, long ts) {
        return new ConsistencyToken(Map.of(shard, ts));
    }

    public long commitTs(String shard) {
        return commits.getOrDefault(shard, 0L);
    }

    /**
     * The token in a map's terms: an entry for a shard a reshard retired counts for every live shard that
     * holds its range now (its writes were copied there with their commit times). Unknown shards drop out.
     */
    public ConsistencyToken resolve(dev.shardkv.core.topology.ShardMap map) {
        TreeMap<String, Long> resolved = new TreeMap<>();
        commits.forEach((shard, ts) -> map.owners(shard).forEach(owner -> resolved.merge(owner.id(), ts, Math::max)));
        return new ConsistencyToken(resolved);
    }

    /** The newer entry per shard of both tokens: a client passing its last token keeps all its writes. */
    public ConsistencyToken merge(ConsistencyToken other) {
        TreeMap<String, Long> merged = new TreeMap<>(commits);
        other.commits.forEach((shard, ts) -> merged.merge(shard, ts, Math::max));
        return new ConsistencyToken(merged);
    }

    public String encode() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(commits).forEach((shard, ts) -> {
            if (!text.isEmpty()) {
                text.append(';');
            }
            text.append(shard).append('=').append(ts);
        });
        return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static ConsistencyToken parse(String token) {
        if (token == null || token.isBlank()) {
            return EMPTY;
        }
        String trimmed = token.trim();
        if (trimmed.length() > MAX_CHARS) {
            throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                    "The consistency token is %d characters; tokens are at most %d.".formatted(trimmed.length(), MAX_CHARS),
                    Map.of("limit", MAX_CHARS));
        }
        try {
            if (!trimmed.startsWith(VERSION)) {
                throw new IllegalArgumentException();
            }
            String text = new String(Base64.getUrlDecoder().decode(trimmed.substring(VERSION.length())), StandardCharsets.UTF_8);
            Map<String, Long> commits = new TreeMap<>();
            if (!text.isEmpty()) {
                for (String part : text.split(";")) {
                    int eq = part.indexOf('=');
                    long ts = Long.parseLong(part.substring(eq + 1));
                    if (eq < 1 || ts < 0) {
                        throw new IllegalArgumentException();
                    }
                    commits.put(part.substring(0, eq), ts);
                }
            }
            return new ConsistencyToken(commits);
        } catch (RuntimeException e) {
            throw new ShardKvException(ProblemType.INVALID_CONSISTENCY,
                    "The consistency token is not one ShardKV issued; send back the X-Consistency-Token of a write.");
        }
    }
}
