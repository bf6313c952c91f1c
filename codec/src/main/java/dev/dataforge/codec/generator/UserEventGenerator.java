package dev.dataforge.codec.generator;

import dev.dataforge.codec.sbe.Decimal2Encoder;
import dev.dataforge.codec.sbe.MessageHeaderEncoder;
import dev.dataforge.codec.sbe.UserEventEncoder;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes synthetic user events straight into a buffer through the generated SBE encoder: no object per event. Event
 * {@code n} (from 0) is a function of the seed and {@code n} alone, whatever the rate or batching, so runs are
 * reproducible, a test can regenerate what a pipeline saw, and a generator can resume at any position.
 * <p>
 * Fields: event_id = n + 1; event_time = start + n * interval; user_id uniform in 1..users (NULL for the anonymous
 * share); session_id derived from the user; type from the weighted mix; page one of {@code pages} paths;
 * amount (0.50 to 500.00) and currency only on purchases, NULL otherwise.
 */
public final class UserEventGenerator
{
    private static final byte[][] CURRENCIES = {bytes("USD"), bytes("EUR"), bytes("GBP")};
    private static final String[] SECTIONS = {"home", "search", "product", "cart", "checkout", "account", "help"};

    private final GeneratorSettings settings;
    private final UserEventEncoder encoder = new UserEventEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final byte[][] typeTable;
    private final byte[][] pages;
    private final boolean[] purchase;
    private final long intervalMicros;
    private final long anonymousThreshold;

    public UserEventGenerator(final GeneratorSettings settings)
    {
        this.settings = settings;
        final int total = settings.types().values().stream().mapToInt(Integer::intValue).sum();
        this.typeTable = new byte[Math.max(100, total)][];
        final String[] names = settings.types().keySet().toArray(new String[0]);
        int at = 0;
        double acc = 0;
        this.purchase = new boolean[typeTable.length];
        for (final Map.Entry<String, Integer> e : settings.types().entrySet())
        {
            acc += e.getValue();
            final int end = (int)Math.round(acc / total * typeTable.length);
            final byte[] padded = Arrays.copyOf(bytes(e.getKey()), UserEventEncoder.typeLength());
            while (at < end)
            {
                purchase[at] = "purchase".equals(e.getKey());
                typeTable[at++] = padded;
            }
        }
        while (at < typeTable.length)
        {
            purchase[at] = "purchase".equals(names[names.length - 1]);
            typeTable[at++] = Arrays.copyOf(bytes(names[names.length - 1]), UserEventEncoder.typeLength());
        }
        this.pages = new byte[settings.pages()][];
        for (int i = 0; i < pages.length; i++)
        {
            final String path = "/" + SECTIONS[i % SECTIONS.length] + (i < SECTIONS.length ? "" : "/" + i);
            pages[i] = Arrays.copyOf(bytes(path), UserEventEncoder.pageLength());
        }
        this.intervalMicros = settings.rate() > 0 ? Math.max(1, 1_000_000 / settings.rate()) : 1;
        this.anonymousThreshold = (long)(settings.anonymousRatio() * (1L << 53));
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public GeneratorSettings settings()
    {
        return settings;
    }

    /** Writes event {@code n} (SBE header, then the block) at {@code base}. */
    public void write(final MutableDirectBuffer buffer, final int base, final long n)
    {
        long r = mix(settings.seed() ^ (n * 0x9E3779B97F4A7C15L));
        final UserEventEncoder e = encoder.wrapAndApplyHeader(buffer, base, header);
        e.eventId(n + 1);
        e.eventTime(settings.startMicros() + n * intervalMicros);
        final boolean anonymous = anonymousThreshold > 0 && (r >>> 11) < anonymousThreshold;
        r = mix(r);
        final long user = 1 + Long.remainderUnsigned(r, settings.users());
        if (anonymous)
        {
            e.userId(UserEventEncoder.userIdNullValue());
            e.sessionId(UserEventEncoder.sessionIdNullValue());
        }
        else
        {
            e.userId(user);
            e.sessionId(user * settings.sessionsPerUser() + ((r >>> 40) % settings.sessionsPerUser()));
        }
        r = mix(r);
        final int typeIndex = (int)Long.remainderUnsigned(r, typeTable.length);
        e.putType(typeTable[typeIndex], 0);
        e.putPage(pages[(int)((r >>> 32) % pages.length)], 0);
        if (purchase[typeIndex])
        {
            r = mix(r);
            e.amount().mantissa(50 + Long.remainderUnsigned(r, 49_951));
            e.putCurrency(CURRENCIES[(int)((r >>> 33) % CURRENCIES.length)], 0);
        }
        else
        {
            e.amount().mantissa(Decimal2Encoder.mantissaNullValue());
            e.currency(0, (byte)0);
        }
    }

    /** SplitMix64 finaliser: a good 64-bit mix, no state, no allocation. */
    static long mix(final long z0)
    {
        long z = z0 + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
