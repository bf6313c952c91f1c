package dev.dataforge.tuning.host;

import java.util.BitSet;

/**
 * An immutable set of CPU numbers in either of the kernel's notations: a list ({@code 0-3,8,10-11}, as in
 * {@code /sys/devices/system/cpu/online}, {@code smp_affinity_list} and {@code isolcpus=}) or a hexadecimal mask in
 * comma-separated 32-bit groups ({@code ff,ffffffff}, as in {@code /proc/irq/default_smp_affinity}).
 */
public final class CpuSet
{
    public static final CpuSet EMPTY = new CpuSet(new BitSet());

    /** The kernel's largest {@code NR_CPUS}: a number above it is not a CPU. */
    private static final int MAX_CPU = 8191;

    private final BitSet bits;

    private CpuSet(final BitSet bits)
    {
        this.bits = bits;
    }

    /** @return the set of the given CPUs. */
    public static CpuSet of(final int... cpus)
    {
        final BitSet bits = new BitSet();
        for (final int cpu : cpus)
        {
            bits.set(cpu);
        }
        return new CpuSet(bits);
    }

    /**
     * @param text a CPU list; blank (and the kernel's {@code (null)}) is the empty set.
     * @return the set, or null when {@code text} is null or not a CPU list.
     */
    public static CpuSet parseList(final String text)
    {
        if (text == null)
        {
            return null;
        }
        final String t = text.trim();
        if (t.isEmpty() || "(null)".equals(t))
        {
            return EMPTY;
        }
        final BitSet bits = new BitSet();
        for (final String part : t.split(",", -1))
        {
            final int dash = part.indexOf('-');
            final int from = cpu(dash < 0 ? part : part.substring(0, dash));
            final int to = dash < 0 ? from : cpu(part.substring(dash + 1));
            if (from < 0 || to < from)
            {
                return null;
            }
            bits.set(from, to + 1);
        }
        return new CpuSet(bits);
    }

    /**
     * @param text a hexadecimal mask, lowest CPU in the last digit.
     * @return the set, or null when {@code text} is null or not a mask.
     */
    public static CpuSet parseMask(final String text)
    {
        if (text == null)
        {
            return null;
        }
        final String hex = text.trim().replace(",", "");
        if (hex.isEmpty())
        {
            return null;
        }
        final BitSet bits = new BitSet();
        for (int i = 0; i < hex.length(); i++)
        {
            final int nibble = Character.digit(hex.charAt(hex.length() - 1 - i), 16);
            if (nibble < 0)
            {
                return null;
            }
            for (int b = 0; b < 4; b++)
            {
                if ((nibble & 1 << b) != 0)
                {
                    bits.set(i * 4 + b);
                }
            }
        }
        return new CpuSet(bits);
    }

    private static int cpu(final String digits)
    {
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit))
        {
            return -1;
        }
        final int n = Integer.parseInt(digits);
        return n > MAX_CPU ? -1 : n;
    }

    public boolean isEmpty()
    {
        return bits.isEmpty();
    }

    public int size()
    {
        return bits.cardinality();
    }

    public boolean contains(final int cpu)
    {
        return cpu >= 0 && bits.get(cpu);
    }

    /** @return true when every CPU of {@code other} is in this set. */
    public boolean containsAll(final CpuSet other)
    {
        return other.minus(this).isEmpty();
    }

    /** @return the CPUs in both sets. */
    public CpuSet and(final CpuSet other)
    {
        final BitSet b = (BitSet)bits.clone();
        b.and(other.bits);
        return new CpuSet(b);
    }

    /** @return the CPUs of this set that are not in {@code other}. */
    public CpuSet minus(final CpuSet other)
    {
        final BitSet b = (BitSet)bits.clone();
        b.andNot(other.bits);
        return new CpuSet(b);
    }

    /** @return the CPUs in either set. */
    public CpuSet or(final CpuSet other)
    {
        final BitSet b = (BitSet)bits.clone();
        b.or(other.bits);
        return new CpuSet(b);
    }

    /** @return the list notation ({@code 0-3,8}), or {@code none} for the empty set. */
    @Override
    public String toString()
    {
        if (bits.isEmpty())
        {
            return "none";
        }
        final StringBuilder sb = new StringBuilder();
        for (int from = bits.nextSetBit(0); from >= 0; from = bits.nextSetBit(from))
        {
            final int to = bits.nextClearBit(from) - 1;
            sb.append(sb.length() == 0 ? "" : ",").append(from);
            if (to > from)
            {
                sb.append('-').append(to);
            }
            from = to + 1;
        }
        return sb.toString();
    }

    /** @return the mask notation, lowest CPU in the last digit, in 32-bit groups ({@code 3}, {@code ff,00000000}). */
    public String toMask()
    {
        final StringBuilder sb = new StringBuilder();
        final int groups = Math.max(1, (bits.length() + 31) / 32);
        for (int g = groups - 1; g >= 0; g--)
        {
            long word = 0;
            for (int b = 0; b < 32; b++)
            {
                word |= bits.get(g * 32 + b) ? 1L << b : 0;
            }
            final String hex = Long.toHexString(word);
            sb.append(sb.length() == 0 ? hex : "," + "0".repeat(8 - hex.length()) + hex);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof CpuSet && ((CpuSet)o).bits.equals(bits);
    }

    @Override
    public int hashCode()
    {
        return bits.hashCode();
    }
}
