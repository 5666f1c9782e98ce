package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Operation ids: lower case and URL-safe, sorted as created, distinct within a millisecond. */
class OperationIdsTest {
    @Test
    void anIdIsOpTheZeroPaddedTimeAndARandomSuffix() {
        String id = OperationIds.next(1_764_571_200_000L, new Random(3));
        assertThat(id).matches("op-1764571200000-[a-z2-7]{8}");
        assertThat(OperationIds.next(42, new Random(3))).startsWith("op-0000000000042-");
        assertThat(URLEncoder.encode(id, StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(OperationIds.isId(id)).isTrue();
    }

    @Test
    void idsSortAsTheirTimesDoAcrossEveryDigitCount() {
        Random random = new Random(5);
        List<String> ids = new ArrayList<>();
        for (long t = 1; t < 9_000_000_000_000L; t = t * 7 + 3) {
            ids.add(OperationIds.next(t, random));
        }
        assertThat(ids).isSorted().hasSizeGreaterThan(10);
    }

    @Test
    void idsOfOneMillisecondDiffer() {
        Random random = new Random(7);
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(OperationIds.next(1_764_571_200_000L, random));
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void onlyWellFormedIdsAreIds() {
        assertThat(List.of("op-1764571200000-ABCDEFGH", "op-176457120000-abcdefgh", "op-1764571200000-abcdefg1",
                "x-1764571200000-abcdefgh", "op-1764571200000-abcdefgh/", "")).noneMatch(OperationIds::isId);
        assertThat(OperationIds.isId(null)).isFalse();
        assertThatThrownBy(() -> OperationIds.next(-1, new Random())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OperationIds.next(10_000_000_000_000L, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
