package dev.dataforge.codec;

/**
 * Powers of ten for fixed-scale decimals, so scaling never allocates or calls {@code Math.pow} per event.
 */
public final class Decimals
{
    public static final int MAX_SCALE = 18;

    static final double[] POWERS_OF_TEN_DOUBLE = new double[MAX_SCALE + 1];
    private static final long[] POWERS_OF_TEN = new long[MAX_SCALE + 1];

    static
    {
        long p = 1;
        for (int i = 0; i <= MAX_SCALE; i++)
        {
            POWERS_OF_TEN[i] = p;
            POWERS_OF_TEN_DOUBLE[i] = p;
            p *= 10;
        }
    }

    private Decimals()
    {
    }

    /** @return 10^scale, for 0 &lt;= scale &lt;= 18. */
    public static long powerOfTen(final int scale)
    {
        return POWERS_OF_TEN[scale];
    }

    /** @return 10^scale as a double, for 0 &lt;= scale &lt;= 18. */
    public static double powerOfTenDouble(final int scale)
    {
        return POWERS_OF_TEN_DOUBLE[scale];
    }
}
