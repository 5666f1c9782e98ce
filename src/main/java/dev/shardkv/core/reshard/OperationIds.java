package dev.shardkv.core.reshard;

import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

/**
 * Operation ids: {@code op-}, the creation time in epoch milliseconds zero-padded to 13 digits, {@code -},
 * 8 random base32 characters; e.g. {@code op-1764571200000-k7q2mzpa}. Lower case and URL-safe; ids sort
 * as their operations were created (within a millisecond, at random), so the newest is the greatest.
 */
public final class OperationIds {
    private static final Pattern ID = Pattern.compile("op-[0-9]{13}-[a-z2-7]{8}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final long MAX_TIME = 9_999_999_999_999L;

    private OperationIds() {
    }

    public static String next(long now, RandomGenerator random) {
        if (now < 0 || now > MAX_TIME) {
            throw new IllegalArgumentException("time out of range for an operation id: " + now);
        }
        StringBuilder id = new StringBuilder("op-%013d-".formatted(now));
        for (int i = 0; i < 8; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
