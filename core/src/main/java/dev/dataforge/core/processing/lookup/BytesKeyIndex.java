package dev.dataforge.core.processing.lookup;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Open addressing index from a string key to a row number. The keys are not copied: each slot holds a row number
 * and the key's hash, and a probe compares the event's UTF-8 bytes in place against the key column of the row image
 * (zero padded, as every string field). No String is made and nothing is allocated per probe.
 */
final class BytesKeyIndex
{
    static final int MISSING = -1;
    private static final int EMPTY = -1;

    private final DirectBuffer rowStore;
    private final int rowLength;
    private final int keyOffset;
    private final int keyCapacity;
    private final int[] slotRows;
    private final int[] slotHashes;
    private final int mask;

    /**
     * @param rowStore    the table's row images.
     * @param rowLength   bytes per row image.
     * @param keyOffset   the key column's offset in a row image.
     * @param keyCapacity the key column's width.
     */
    BytesKeyIndex(
        final DirectBuffer rowStore, final int rowLength, final int keyOffset, final int keyCapacity, final int size)
    {
        this.rowStore = rowStore;
        this.rowLength = rowLength;
        this.keyOffset = keyOffset;
        this.keyCapacity = keyCapacity;
        final int capacity = LongKeyIndex.capacityFor(size);
        slotRows = new int[capacity];
        slotHashes = new int[capacity];
        Arrays.fill(slotRows, EMPTY);
        mask = capacity - 1;
    }

    /** @return {@link #MISSING} when the row's key was added, or the row that already has the same key. */
    int add(final int row)
    {
        final int at = row * rowLength + keyOffset;
        final int length = keyLength(at);
        final int hash = hash(rowStore, at, length);
        int slot = hash & mask;
        while (slotRows[slot] != EMPTY)
        {
            if (slotHashes[slot] == hash && matches(slotRows[slot], rowStore, at, length))
            {
                return slotRows[slot];
            }
            slot = (slot + 1) & mask;
        }
        slotRows[slot] = row;
        slotHashes[slot] = hash;
        return MISSING;
    }

    /**
     * @param buffer where the key's bytes are.
     * @param at     offset of the first byte.
     * @param length bytes of the key, at least 1.
     * @return the row with that key, or {@link #MISSING}.
     */
    int get(final DirectBuffer buffer, final int at, final int length)
    {
        if (length > keyCapacity)
        {
            return MISSING;
        }
        final int hash = hash(buffer, at, length);
        int slot = hash & mask;
        int row;
        while ((row = slotRows[slot]) != EMPTY)
        {
            if (slotHashes[slot] == hash && matches(row, buffer, at, length))
            {
                return row;
            }
            slot = (slot + 1) & mask;
        }
        return MISSING;
    }

    private boolean matches(final int row, final DirectBuffer buffer, final int at, final int length)
    {
        final int keyAt = row * rowLength + keyOffset;
        if (length < keyCapacity && rowStore.getByte(keyAt + length) != 0)
        {
            return false;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (rowStore.getLong(keyAt + i) != buffer.getLong(at + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (rowStore.getByte(keyAt + i) != buffer.getByte(at + i))
            {
                return false;
            }
        }
        return true;
    }

    private int keyLength(final int at)
    {
        for (int i = 0; i < keyCapacity; i++)
        {
            if (rowStore.getByte(at + i) == 0)
            {
                return i;
            }
        }
        return keyCapacity;
    }

    /** FNV-1a over the bytes, then a finalising mix so that nearby keys spread over the table. */
    static int hash(final DirectBuffer buffer, final int at, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ (buffer.getByte(at + i) & 0xFF)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
