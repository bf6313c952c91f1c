package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.dataforge.core.processing.lookup.LookupTestSupport.columns;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.load;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnricherTest
{
    private static final String USERS =
        "user_id,name,tier,ltv,active\n" +
        "1,user-0001,pro,12.50,true\n" +
        "2,user-0002,free,,false\n" +
        "42,\"o'brien, ann\",enterprise,999999.99,\n";
    private static final int BASE = 40;

    @TempDir
    Path dir;

    private final RecordLayout before = SbeLayouts.userEvent();
    private UnsafeBuffer slot;

    @BeforeEach
    void slot()
    {
        slot = new UnsafeBuffer(new byte[BASE + before.recordLength() + 16]);
    }

    @Test
    void longKeyHitsAndMisses() throws Exception
    {
        final LookupTable users = load(dir, "users.csv", USERS, options("key", "user_id"));
        final Enricher enricher = users.bind(before.field("user_id"), List.of(), "user_", before);
        final RecordLayout after = enricher.layout();
        assertEquals(List.of("user_name", "user_tier", "user_ltv", "user_active"),
            after.fields().subList(before.fields().size(), after.fields().size()).stream().map(Field::name).toList());
        assertNull(after.field("user_user_id"), "the key is not copied unless selected");
        assertEquals(before.enrichmentOffset(), after.field("user_name").offset());

        writeEvent(42L, "checkout");
        assertTrue(enricher.enrich(slot, BASE));
        assertEquals("o'brien, ann", after.field("user_name").getString(slot, BASE));
        assertEquals("enterprise", after.field("user_tier").getString(slot, BASE));
        assertEquals(99999999L, after.field("user_ltv").getLong(slot, BASE));
        assertTrue(after.field("user_active").isNull(slot, BASE));
        assertEquals("checkout", after.field("page").getString(slot, BASE), "event fields are untouched");
        assertEquals(42L, after.field("user_id").getLong(slot, BASE));

        writeEvent(1L, "home");
        assertTrue(enricher.enrich(slot, BASE));
        assertEquals("user-0001", after.field("user_name").getString(slot, BASE));
        assertEquals("pro", after.field("user_tier").getString(slot, BASE), "shorter value is zero padded");
        assertEquals(1250L, after.field("user_ltv").getLong(slot, BASE));
        assertTrue(after.field("user_active").getBoolean(slot, BASE));

        writeEvent(2L, "home");
        assertTrue(enricher.enrich(slot, BASE));
        assertTrue(after.field("user_ltv").isNull(slot, BASE), "a NULL in the table is NULL in the event");
        assertFalse(after.field("user_active").getBoolean(slot, BASE));

        writeEvent(7L, "home");
        slot.setMemory(BASE + before.enrichmentOffset(), before.enrichmentLength(), (byte)0x5A);
        assertFalse(enricher.enrich(slot, BASE));
        assertAllNull(after, "user_name", "user_tier", "user_ltv", "user_active");

        writeEvent(null, "home");
        slot.setMemory(BASE + before.enrichmentOffset(), before.enrichmentLength(), (byte)0x5A);
        assertFalse(enricher.enrich(slot, BASE), "a NULL key is a miss");
        assertAllNull(after, "user_name", "user_tier", "user_ltv", "user_active");
    }

    @Test
    void stringKeyHitsAndMisses() throws Exception
    {
        final LookupTable pages = load(dir, "pages.csv",
            "page,section,weight\n/home,main,1\n/checkout,shop,5\n/a-very-long-page-name-for-hashing,misc,2\n",
            options("key", "page"));
        final Enricher enricher = pages.bind(before.field("page"), List.of("section", "weight"), "", before);
        final RecordLayout after = enricher.layout();

        writeEvent(1L, "/checkout");
        assertTrue(enricher.enrich(slot, BASE));
        assertEquals("shop", after.field("section").getString(slot, BASE));
        assertEquals(5, after.field("weight").getLong(slot, BASE));

        writeEvent(1L, "/a-very-long-page-name-for-hashing");
        assertTrue(enricher.enrich(slot, BASE));
        assertEquals("misc", after.field("section").getString(slot, BASE));

        for (final String miss : new String[]{"/hom", "/home/", "/checkou", "/HOME",
            "/a-very-long-page-name-for-hashin", "/a-very-long-page-name-for-hashing-and-more"})
        {
            writeEvent(1L, miss);
            assertFalse(enricher.enrich(slot, BASE), miss);
            assertTrue(after.field("section").isNull(slot, BASE), miss);
            assertTrue(after.field("weight").isNull(slot, BASE), miss);
        }

        writeEvent(1L, "/home");
        assertTrue(enricher.enrich(slot, BASE));
        assertEquals("main", after.field("section").getString(slot, BASE));

        writeEvent(1L, "");
        assertFalse(enricher.enrich(slot, BASE), "an empty (NULL) key is a miss");
    }

    @Test
    void narrowIntegerKeysMatchAcrossWidths() throws Exception
    {
        final LookupTable t = load(dir, "t.csv", "id,v\n-5,neg\n300,big\n",
            options("key", "id", "columns", columns("id", "int16")));
        final Enricher enricher = t.bind(before.field("session_id"), List.of("v"), "", before);
        writeEvent(1L, "x");
        before.field("session_id").putLong(slot, BASE, -5);
        assertTrue(enricher.enrich(slot, BASE));
        assertEquals("neg", enricher.layout().field("v").getString(slot, BASE));
        before.field("session_id").putLong(slot, BASE, 300 + 65536);
        assertFalse(enricher.enrich(slot, BASE), "no truncation of the event key to the column's width");
    }

    @Test
    void selectOrderAndPrefixAndTheKeyColumn() throws Exception
    {
        final LookupTable users = load(dir, "users.csv", USERS, options("key", "user_id"));
        final Enricher enricher = users.bind(before.field("user_id"), List.of("tier", "user_id"), "u_", before);
        final RecordLayout after = enricher.layout();
        assertEquals(before.fields().size() + 2, after.fields().size());
        final Field tier = after.field("u_tier");
        final Field id = after.field("u_user_id");
        assertEquals(before.enrichmentOffset(), tier.offset());
        assertEquals(before.enrichmentOffset() + tier.length(), id.offset());
        assertEquals(tier.length() + id.length(), enricher.imageLength());
        writeEvent(42L, "x");
        assertTrue(enricher.enrich(slot, BASE));
        assertEquals(42L, id.getLong(slot, BASE));
        assertEquals("enterprise", tier.getString(slot, BASE));
    }

    @Test
    void twoEnrichStagesStack() throws Exception
    {
        final LookupTable users = load(dir, "users.csv", USERS, options("key", "user_id"));
        final Enricher first = users.bind(before.field("user_id"), List.of("tier"), "", before);
        final Enricher second = users.bind(before.field("user_id"), List.of("name"), "", first.layout());
        assertEquals(first.layout().field("tier").offset() + first.layout().field("tier").length(),
            second.layout().field("name").offset());
        writeEvent(1L, "x");
        assertTrue(first.enrich(slot, BASE));
        assertTrue(second.enrich(slot, BASE));
        assertEquals("pro", second.layout().field("tier").getString(slot, BASE));
        assertEquals("user-0001", second.layout().field("name").getString(slot, BASE));
    }

    @Test
    void unknownSelectedColumnSuggestsTheClosest() throws Exception
    {
        final LookupTable users = load(dir, "users.csv", USERS, options("key", "user_id"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> users.bind(before.field("user_id"), List.of("teir"), "", before));
        assertEquals("lookup 'test' has no column 'teir'; did you mean 'tier'? (columns: user_id, name, tier, ltv, " +
            "active)", e.getMessage());
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> users.bind(before.field("user_id"), List.of("tier", "tier"), "", before));
        assertEquals("lookup 'test': column 'tier' is selected twice", twice.getMessage());
    }

    @Test
    void incompatibleKeyTypes() throws Exception
    {
        final LookupTable users = load(dir, "users.csv", USERS, options("key", "user_id"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> users.bind(before.field("page"), List.of(), "", before));
        assertEquals("lookup 'test': event field 'page' is string(64) but the key column 'user_id' is long; an " +
            "integer key needs an integer field, a string key a string field", e.getMessage());
        final LookupTable pages = load(dir, "pages.csv", "page,v\n/a,1\n", options("key", "page"));
        assertThrows(IllegalArgumentException.class, () -> pages.bind(before.field("user_id"), List.of(), "", before));
        assertThrows(IllegalArgumentException.class, () -> pages.bind(before.field("amount"), List.of(), "", before));
    }

    @Test
    void columnThatClashesWithAnEventField() throws Exception
    {
        final LookupTable t = load(dir, "t.csv", "id,page,type\n1,/a,x\n", options("key", "id"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> t.bind(before.field("user_id"), List.of(), "", before));
        assertEquals("column 'page' clashes with an event field of the same name; set a prefix on the enrich stage",
            e.getMessage());
        final Enricher ok = t.bind(before.field("user_id"), List.of(), "lk_", before);
        assertTrue(ok.layout().field("lk_page") != null);
    }

    @Test
    void tooManyColumnsToFit() throws Exception
    {
        final LookupTable t = load(dir, "t.csv", "id,a,b,c\n1,x,y,z\n",
            options("key", "id", "columns", columns("a", "string(100)", "b", "string(80)", "c", "string(20)")));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> t.bind(before.field("user_id"), List.of(), "", before));
        assertEquals("column 'c' does not fit: the enrichment region holds 192 bytes and 180 are taken; select " +
            "fewer columns or narrow string columns", e.getMessage());
        assertEquals(180, t.bind(before.field("user_id"), List.of("a", "b"), "", before).imageLength());
    }

    @Test
    void enrichAllocatesNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final LookupTable users = load(dir, "users.csv", USERS, options("key", "user_id"));
        final Enricher byId = users.bind(before.field("user_id"), List.of(), "", before);
        final LookupTable pages = load(dir, "pages.csv", "page,v\n/a,1\n/b,2\n", options("key", "page"));
        final Enricher byPage = pages.bind(before.field("page"), List.of(), "", before);
        writeEvent(1L, "/b");
        final Field userId = before.field("user_id");
        long hits = run(byId, byPage, userId, 20_000);
        final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        hits += run(byId, byPage, userId, 1_000_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        // one allocation per call would be at least 16 MB here; a few KB is constant noise (OSR, JIT deopt)
        assertTrue(allocated < 64 * 1024, "enrich allocated " + allocated + " bytes over 1M calls");
        assertEquals(1_020_000 + 510_000, hits, "every page probe hits, every other user probe");
    }

    private long run(final Enricher byId, final Enricher byPage, final Field userId, final int n)
    {
        long hits = 0;
        for (int i = 0; i < n; i++)
        {
            userId.putLong(slot, BASE, (i & 1) == 0 ? 1 : 3);
            hits += byId.enrich(slot, BASE) ? 1 : 0;
            hits += byPage.enrich(slot, BASE) ? 1 : 0;
        }
        return hits;
    }

    private void writeEvent(final Long userId, final String page)
    {
        slot.setMemory(0, slot.capacity(), (byte)0x77);
        final Field id = before.field("user_id");
        if (userId == null)
        {
            id.putNull(slot, BASE);
        }
        else
        {
            id.putLong(slot, BASE, userId);
        }
        before.field("event_id").putLong(slot, BASE, 1);
        before.field("page").putString(slot, BASE, page.getBytes(StandardCharsets.UTF_8));
    }

    private void assertAllNull(final RecordLayout after, final String... names)
    {
        for (final String name : names)
        {
            assertTrue(after.field(name).isNull(slot, BASE), name);
        }
    }
}
