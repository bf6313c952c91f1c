package dev.dataforge.core.processing.lookup;

import java.util.Arrays;

/**
 * Open addressing index from an integer key to a row number: parallel {@code long[]} keys and {@code int[]} rows,
 * linear probing, at most half full. {@link Long#MIN_VALUE} (the NULL of a long column, never a key) marks an empty
 * slot. Probing allocates nothing and boxes nothing.
 */
final class LongKeyIndex
{
    static final int MISSING = -1;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] keys;
    private final int[] rows;
    private final int mask;
    private final int shift;

    LongKeyIndex(final int expectedSize)
    {
        final int capacity = capacityFor(expectedSize);
        keys = new long[capacity];
        rows = new int[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    static int capacityFor(final int size)
    {
        final long wanted = Math.max(16L, (long)size * 2);
        if (wanted > 1 << 30)
        {
            throw new IllegalArgumentException("lookup table too large: " + size + " rows");
        }
        return Integer.highestOneBit((int)wanted - 1) << 1;
    }

    /**
     * @return {@link #MISSING} when added, or the row that already has the key (nothing is changed then).
     */
    int putIfAbsent(final long key, final int row)
    {
        int slot = slot(key);
        while (keys[slot] != EMPTY)
        {
            if (keys[slot] == key)
            {
                return rows[slot];
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        rows[slot] = row;
        return MISSING;
    }

    /** @return the row with the key, or {@link #MISSING}. */
    int get(final long key)
    {
        int slot = slot(key);
        long k;
        while ((k = keys[slot]) != EMPTY)
        {
            if (k == key)
            {
                return rows[slot];
            }
            slot = (slot + 1) & mask;
        }
        return MISSING;
    }

    private int slot(final long key)
    {
        return (int)((key * 0x9E3779B97F4A7C15L) >>> shift) & mask;
    }
}
