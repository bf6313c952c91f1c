package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuSetTest
{
    @Test
    void listsReadRangesAndSingleCpus()
    {
        final CpuSet set = CpuSet.parseList("0-3,8,10-11\n");
        assertEquals(7, set.size());
        assertTrue(set.contains(0) && set.contains(3) && set.contains(8) && set.contains(11));
        assertFalse(set.contains(4) || set.contains(9) || set.contains(12) || set.contains(-1));
        assertEquals("0-3,8,10-11", set.toString());
        assertEquals(CpuSet.of(0, 1, 2, 3, 8, 10, 11), set);
    }

    @Test
    void blankAndTheKernelsNullAreEmpty()
    {
        assertTrue(CpuSet.parseList("").isEmpty());
        assertTrue(CpuSet.parseList(" \n").isEmpty());
        assertTrue(CpuSet.parseList("(null)\n").isEmpty());
        assertEquals("none", CpuSet.EMPTY.toString());
        assertNull(CpuSet.parseList(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0-", "-3", "3-1", "1,,2", "0-3,x", "99999", "1 2"})
    void aMalformedListIsNull(final String text)
    {
        assertNull(CpuSet.parseList(text), text);
    }

    @Test
    void masksReadLowestCpuLastInGroupsOf32()
    {
        assertEquals(CpuSet.of(0, 1), CpuSet.parseMask("3\n"));
        assertEquals(CpuSet.parseList("0-15"), CpuSet.parseMask("ffff"));
        assertEquals(CpuSet.parseList("0-3"), CpuSet.parseMask("00000000,0000000f"));
        assertEquals(CpuSet.parseList("32-39"), CpuSet.parseMask("ff,00000000"));
        assertNull(CpuSet.parseMask("xyz"));
        assertNull(CpuSet.parseMask(""));
        assertNull(CpuSet.parseMask(null));
    }

    @Test
    void masksWriteAsTheKernelReadsThem()
    {
        assertEquals("f", CpuSet.parseList("0-3").toMask());
        assertEquals("ff,00000003", CpuSet.parseList("0-1,32-39").toMask());
        assertEquals("0", CpuSet.EMPTY.toMask());
        final CpuSet wide = CpuSet.parseList("0-3,40-41,70");
        assertEquals(wide, CpuSet.parseMask(wide.toMask()));
    }

    @Test
    void setAlgebra()
    {
        final CpuSet all = CpuSet.parseList("0-7");
        final CpuSet isolated = CpuSet.parseList("2-7");
        assertEquals(CpuSet.of(0, 1), all.minus(isolated));
        assertEquals(isolated, all.and(isolated));
        assertEquals(all, CpuSet.of(0, 1).or(isolated));
        assertTrue(all.containsAll(isolated));
        assertFalse(isolated.containsAll(all));
    }
}
