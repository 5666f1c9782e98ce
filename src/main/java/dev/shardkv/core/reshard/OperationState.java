package dev.shardkv.core.reshard;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Where a split or merge is. The phases run in declaration order, copying to done; an operation can be
 * aborted only before the cutover (after it, the new map may already be out, so it runs to its end),
 * and it can fail in any phase until it has ended.
 */
public enum OperationState {
    /** The sources' items are scanned into the targets. */
    COPYING("copying"),
    /** The sources' streams are applied to the targets until they are close behind. */
    CATCHING_UP("catching-up"),
    /** The targets are compared with the sources. */
    VERIFYING("verifying"),
    /** Writes pause, the last changes are applied, and the next shard map goes out. */
    CUTTING_OVER("cutting-over"),
    DONE("done"),
    FAILED("failed"),
    ABORTED("aborted");

    private final String label;

    OperationState(String label) {
        this.label = label;
    }

    /** The name in JSON and in the admin API. */
    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static OperationState parse(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operation state " + label));
    }

    /** Not ended: not done, failed or aborted. */
    public boolean isActive() {
        return this != DONE && this != FAILED && this != ABORTED;
    }

    /** Before the cutover: nothing outside the targets has changed yet. */
    public boolean isAbortable() {
        return this == COPYING || this == CATCHING_UP || this == VERIFYING;
    }

    /** The phase after this one in a split or merge; null once ended ({@link OperationKind#next} per kind). */
    public OperationState next() {
        return switch (this) {
            case COPYING -> CATCHING_UP;
            case CATCHING_UP -> VERIFYING;
            case VERIFYING -> CUTTING_OVER;
            case CUTTING_OVER -> DONE;
            case DONE, FAILED, ABORTED -> null;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
