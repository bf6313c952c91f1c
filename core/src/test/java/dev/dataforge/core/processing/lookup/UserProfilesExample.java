package dev.dataforge.core.processing.lookup;

import java.time.LocalDate;
import java.util.Random;

/**
 * Generates {@code examples/user_profiles.csv}, the lookup table of the example pipelines, deterministically:
 * user_id 1 to 1000 except every 25th (so that some events miss), with a name, a tier, an ISO country code, a
 * signup date and a lifetime value. {@link UserProfilesExampleTest} checks the committed file against it and
 * rewrites it when run with {@code -Ddataforge.examples.write=true}.
 */
final class UserProfilesExample
{
    static final String FILE = "../examples/user_profiles.csv";
    static final int MAX_ID = 1000;
    static final int MISSING_EVERY = 25;

    private static final String[] TIERS = {"free", "plus", "pro", "enterprise"};
    private static final int[] TIER_PERCENT = {55, 25, 14, 6};
    private static final long[] TIER_MAX_CENTS = {0, 50_000, 500_000, 5_000_000};
    private static final String[] COUNTRIES =
        {"US", "GB", "DE", "FR", "NL", "SE", "ES", "IT", "PL", "CA", "BR", "MX", "IN", "JP", "AU", "SG"};
    private static final LocalDate FIRST_SIGNUP = LocalDate.of(2019, 1, 1);
    private static final int SIGNUP_DAYS = 6 * 365;

    private UserProfilesExample()
    {
    }

    static String generate()
    {
        final Random random = new Random(20240501L);
        final StringBuilder sb = new StringBuilder(64 * MAX_ID);
        sb.append("user_id,name,tier,country,signup_date,lifetime_value\n");
        for (int id = 1; id <= MAX_ID; id++)
        {
            final int tier = tier(random.nextInt(100));
            final String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
            final LocalDate signup = FIRST_SIGNUP.plusDays(random.nextInt(SIGNUP_DAYS));
            final long cents = tier == 0 ? random.nextInt(2000) : (long)(random.nextDouble() * TIER_MAX_CENTS[tier]);
            if (id % MISSING_EVERY == 0)
            {
                continue;
            }
            sb.append(id).append(',')
                .append(String.format(java.util.Locale.ROOT, "user-%04d", id)).append(',')
                .append(TIERS[tier]).append(',')
                .append(country).append(',')
                .append(signup).append(',')
                .append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "").append(cents % 100)
                .append('\n');
        }
        return sb.toString();
    }

    private static int tier(final int percentile)
    {
        int limit = 0;
        for (int i = 0; i < TIER_PERCENT.length; i++)
        {
            limit += TIER_PERCENT[i];
            if (percentile < limit)
            {
                return i;
            }
        }
        return TIER_PERCENT.length - 1;
    }
}
