package dev.dataforge.core.processing.lookup;

import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.sbe.MessageHeaderEncoder;
import dev.dataforge.codec.sbe.UserEventEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Versions of a changing lookup: typed as the first, swapped in whole, and a bad one keeps the one in use. */
class LiveLookupTest
{
    private final RecordLayout before = SbeLayouts.userEvent();
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[before.recordLength() + 64]);
    private final UserEventEncoder encoder = new UserEventEncoder().wrapAndApplyHeader(slot, 0,
        new MessageHeaderEncoder());

    /** A source that hands out the versions a test queued. */
    private static final class Versions implements LookupSource
    {
        final ArrayDeque<LookupRows> queued = new ArrayDeque<>();
        private final LookupRows first;

        Versions(final LookupRows first)
        {
            this.first = first;
        }

        @Override
        public LookupRows initial()
        {
            return first;
        }

        @Override
        public boolean live()
        {
            return true;
        }

        @Override
        public LookupRows next(final Duration wait)
        {
            return queued.poll();
        }
    }

    private static LookupRows rows(final List<String> columns, final String[]... values)
    {
        final LookupRows r = new LookupRows("test", "column", columns);
        int line = 0;
        for (final String[] v : values)
        {
            r.add(v, ++line);
        }
        return r.keyedBy("user_id", Map.of(), 0);
    }

    private String tierOf(final LiveEnricher e, final long user)
    {
        encoder.userId(user);
        final boolean hit = e.current().enrich(slot, 0);
        return hit ? e.layout().field("tier").getString(slot, 0) : null;
    }

    @Test
    void aNewVersionIsSwappedInWholeTypedAsTheFirst() throws Exception
    {
        final List<String> cols = List.of("user_id", "tier", "score");
        final Versions source = new Versions(rows(cols, new String[] {"1", "free", "10"},
            new String[] {"2", "pro", "20"}));
        final LookupTable first = LookupTableBuilder.buildLive("p", source.initial());
        assertEquals(16, first.column("tier").length(), "room to grow: 16 bytes at least for a live string");
        final LiveLookup lookup = new LiveLookup("p", source, first, Long.MAX_VALUE);
        final LiveEnricher enricher = new LiveEnricher(first, before.field("user_id"), List.of(), "", before);
        lookup.add(enricher);
        assertEquals("free", tierOf(enricher, 1));
        assertFalse(lookup.refresh(Duration.ZERO), "no version queued");

        // a new version: a longer tier (within the room), a new column (left out), a row gone, a row added
        source.queued.add(rows(List.of("score", "user_id", "tier", "extra"),
            new String[] {"11", "1", "enterprise", "x"}, new String[] {"30", "3", "plus", "y"}));
        final Enricher old = enricher.current();
        assertTrue(lookup.refresh(Duration.ZERO));
        assertEquals("enterprise", tierOf(enricher, 1));
        assertNull(tierOf(enricher, 2), "a row the new version lacks is gone");
        assertEquals("plus", tierOf(enricher, 3));
        assertEquals(first.columns().toString(), lookup.table().columns().toString(), "typed and ordered as the first");
        assertEquals(2, lookup.rows());
        assertEquals(1, lookup.refreshes());
        assertTrue(old != enricher.current(), "a new enricher, the old one untouched for events already using it");
        encoder.userId(2);
        assertTrue(old.enrich(slot, 0), "the old version still answers for an event that read it");
    }

    @Test
    void aBadVersionKeepsTheOneInUseAndSaysWhy() throws Exception
    {
        final List<String> cols = List.of("user_id", "tier");
        final Versions source = new Versions(rows(cols, new String[] {"1", "free"}));
        final LookupTable first = LookupTableBuilder.buildLive("p", source.initial());
        final LiveLookup lookup = new LiveLookup("p", source, first, 4096);
        final LiveEnricher enricher = new LiveEnricher(first, before.field("user_id"), List.of(), "", before);
        lookup.add(enricher);
        final Enricher inUse = enricher.current();

        source.queued.add(rows(List.of("user_id"), new String[] {"1"}));
        Exception e = assertThrows(Exception.class, () -> lookup.refresh(Duration.ZERO));
        assertTrue(e.getMessage().contains("the new version lacks column(s) tier"), e.getMessage());

        source.queued.add(rows(cols, new String[] {"1", "a value much longer than the sixteen bytes"}));
        e = assertThrows(Exception.class, () -> lookup.refresh(Duration.ZERO));
        assertTrue(e.getMessage().contains("tier"), e.getMessage());

        source.queued.add(rows(cols, new String[] {"x", "free"}));
        e = assertThrows(Exception.class, () -> lookup.refresh(Duration.ZERO));

        final String[][] many = new String[500][];
        for (int i = 0; i < many.length; i++)
        {
            many[i] = new String[] {Integer.toString(i + 1), "free"};
        }
        source.queued.add(rows(cols, many));
        e = assertThrows(Exception.class, () -> lookup.refresh(Duration.ZERO));
        assertTrue(e.getMessage().contains("more than max_bytes 4096"), e.getMessage());

        assertSame(inUse, enricher.current(), "every bad version left the one in use");
        assertEquals(4, lookup.failures());
        assertEquals(0, lookup.refreshes());
        assertTrue(lookup.failing() != null);
        assertEquals("free", tierOf(enricher, 1));

        assertFalse(lookup.refresh(Duration.ZERO)); // the source answers again, with nothing new
        assertNull(lookup.failing(), "a source that answers is no longer failing");
    }
}
