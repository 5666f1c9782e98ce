package dev.shardkv.core.kv;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;

/**
 * A write's condition on the current state of its key on the leader: at most one of the three. Versions
 * start at 1; version 0 means "the key does not exist" (as in transactions), so it is never an If-Match
 * version: "any live version" ({@code If-Match: *}) is {@link #LIVE}.
 *
 * @param ifMatch     the live version the key must have, 1 or more ({@code If-Match: "3"}); null: none
 * @param ifLive      the key must be live, at any version ({@code If-Match: *})
 * @param ifNoneMatch the key must not be live ({@code If-None-Match: *}): create-only
 */
public record Precondition(Long ifMatch, boolean ifLive, boolean ifNoneMatch) {
    public static final Precondition NONE = new Precondition(null, false, false);
    public static final Precondition LIVE = new Precondition(null, true, false);
    public static final Precondition CREATE_ONLY = new Precondition(null, false, true);

    public Precondition {
        if (ifMatch != null && ifMatch < 1) {
            throw new ShardKvException(ProblemType.INVALID_PRECONDITION,
                    "If-Match versions start at 1 (version 0 means the key does not exist); got " + ifMatch + ".");
        }
        if ((ifMatch != null || ifLive) && ifNoneMatch) {
            throw new ShardKvException(ProblemType.INVALID_PRECONDITION,
                    "If-Match and If-None-Match cannot be combined on one write.");
        }
        if (ifMatch != null && ifLive) {
            throw new ShardKvException(ProblemType.INVALID_PRECONDITION,
                    "If-Match is either one version or *, not both.");
        }
    }

    /** {@code If-Match: "<version>"}: the key must be live at exactly this version (1 or more). */
    public static Precondition ifMatch(long version) {
        return new Precondition(version, false, false);
    }

    /** Whether the current state of a key (null when it never existed) satisfies this condition. */
    public boolean holdsFor(StoredItem current) {
        boolean live = current != null && current.isLive();
        if (ifNoneMatch) {
            return !live;
        }
        if (ifLive) {
            return live;
        }
        if (ifMatch != null) {
            return live && current.version() == ifMatch;
        }
        return true;
    }

    @JsonIgnore
    public boolean isConditional() {
        return hasIfMatch() || ifNoneMatch;
    }

    /** An If-Match of either kind (a version or *): when it fails on an absent key, the answer is 412, not 404. */
    @JsonIgnore
    public boolean hasIfMatch() {
        return ifMatch != null || ifLive;
    }

    /**
     * Parses HTTP {@code If-Match} / {@code If-None-Match} values. Entity tags are the quoted version
     * ({@code "3"}); a bare number is accepted too.
     */
    public static Precondition fromHeaders(String ifMatch, String ifNoneMatch) {
        boolean hasMatch = ifMatch != null && !ifMatch.isBlank();
        boolean hasNoneMatch = ifNoneMatch != null && !ifNoneMatch.isBlank();
        if (hasMatch && hasNoneMatch) {
            throw new ShardKvException(ProblemType.INVALID_PRECONDITION,
                    "If-Match and If-None-Match cannot be combined on one write.");
        }
        if (hasNoneMatch) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new ShardKvException(ProblemType.INVALID_PRECONDITION,
                        "If-None-Match supports only \"*\" (create only), not " + ifNoneMatch.trim() + ".");
            }
            return CREATE_ONLY;
        }
        if (hasMatch) {
            String tag = ifMatch.trim();
            if (tag.equals("*")) {
                return LIVE;
            }
            return ifMatch(parseVersionTag(tag, "If-Match"));
        }
        return NONE;
    }

    static long parseVersionTag(String tag, String header) {
        String bare = tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
        try {
            long version = Long.parseLong(bare);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw new ShardKvException(ProblemType.INVALID_PRECONDITION,
                    header + " must be one entity tag holding a version, like \"3\" (with the quotes), or *; got " + tag + ".");
        }
    }
}
