package dev.shardkv.core.reshard;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Hash routing keys as numbers: 16 hex digits are an unsigned 64-bit value. A bound of fewer digits
 * is a prefix, so it stands for itself right-padded with zeros ({@code "8"} is 2^63); an unbounded
 * start is 0 and an unbounded end is 2^64.
 */
final class HashSpace {
    static final int DIGITS = 16;
    static final BigInteger SIZE = BigInteger.ONE.shiftLeft(64);

    private HashSpace() {
    }

    static BigInteger start(String bound) {
        return bound == null ? BigInteger.ZERO : value(bound);
    }

    static BigInteger end(String bound) {
        return bound == null ? SIZE : value(bound);
    }

    static BigInteger value(String bound) {
        return new BigInteger(pad(bound), 16);
    }

    /** The 16-digit lower-case form of a 1-16 digit bound. */
    static String pad(String hex) {
        return hex.toLowerCase(Locale.ROOT) + "0".repeat(DIGITS - hex.length());
    }

    /** A value below 2^64 as 16 lower-case hex digits. */
    static String format(BigInteger value) {
        String hex = value.toString(16);
        return "0".repeat(DIGITS - hex.length()) + hex;
    }
}
