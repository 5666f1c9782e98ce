package dev.shardkv.core.topology;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.commons.codec.digest.MurmurHash3;

/** Turns a key into the routing key that shard ranges are compared with. */
public final class RoutingKeys {
    private RoutingKeys() {
    }

    public static String of(RoutingMode mode, String key) {
        return switch (mode) {
            case RANGE -> key.toLowerCase(Locale.ROOT);
            case HASH -> hash(key);
        };
    }

    /** MurmurHash3 x64 128 (commons-codec), first 64 bits, as 16 lower-case hex digits. Stable across JVMs. */
    public static String hash(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        long h = MurmurHash3.hash128x64(bytes, 0, bytes.length, 0)[0];
        return HexFormat.of().toHexDigits(h);
    }

    /**
     * Compares by Unicode code point, not by UTF-16 unit, so that a character beyond the BMP sorts after
     * U+FFFF as it does in UTF-8 byte order (which is also DynamoDB's order for string keys).
     */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
