package dev.dataforge.codec;

import java.util.Collection;
import java.util.Locale;

/**
 * Naming helpers shared by config and expression errors: SBE camelCase to config snake_case, and
 * "did you mean" suggestions by edit distance.
 */
public final class Names
{
    private Names()
    {
    }

    /** @return {@code eventTime} as {@code event_time}. */
    public static String snakeCase(final String camel)
    {
        final StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++)
        {
            final char c = camel.charAt(i);
            if (Character.isUpperCase(c))
            {
                if (i > 0)
                {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * @return the closest candidate to {@code name} when it is close enough to be a likely typo, else null.
     */
    public static String closest(final String name, final Collection<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        final String lower = name.toLowerCase(Locale.ROOT);
        for (final String candidate : candidates)
        {
            final int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        final int threshold = Math.max(2, name.length() / 3);
        return bestDistance <= threshold ? best : null;
    }

    /** @return {@code "; did you mean 'x'?"} or the empty string. */
    public static String didYouMean(final String name, final Collection<String> candidates)
    {
        final String best = closest(name, candidates);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Levenshtein distance with transpositions counted as one edit (optimal string alignment). */
    public static int distance(final String a, final String b)
    {
        final int n = a.length();
        final int m = b.length();
        final int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
