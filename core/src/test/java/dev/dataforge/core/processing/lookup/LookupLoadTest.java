package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.dataforge.core.processing.lookup.LookupTestSupport.columns;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.load;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LookupLoadTest
{
    @TempDir
    Path dir;

    @Test
    void infersEveryTypeFromCsv() throws Exception
    {
        final LookupTable t = load(dir, "t.csv",
            "id,count,price,ratio,flag,label,mixed\n" +
            "1,10,1.5,1e3,true,ab,1\n" +
            "2,-3,2.25,0.5,FALSE,héllo,x\n" +
            "3,,-7,2,,,2.5\n", options("key", "id"));
        assertEquals(3, t.size());
        assertEquals("long", type(t, "id"));
        assertEquals("long", type(t, "count"));
        assertEquals("decimal(2)", type(t, "price"));
        assertEquals("double", type(t, "ratio"));
        assertEquals("boolean", type(t, "flag"));
        assertEquals("string(6)", type(t, "label"));
        assertEquals("string(3)", type(t, "mixed"));
        assertEquals("id", t.keyColumn().name());

        int offset = 0;
        for (final Field f : t.columns())
        {
            assertEquals(offset, f.offset(), f.name());
            offset += f.length();
        }
        assertEquals(offset, t.rowLength());

        final DirectBuffer rows = t.rows();
        final int r2 = t.rowBase(t.rowOf(2));
        assertEquals(-3, t.column("count").getLong(rows, r2));
        assertEquals(225, t.column("price").getLong(rows, r2));
        assertEquals(0.5, t.column("ratio").getDouble(rows, r2));
        assertFalse(t.column("flag").getBoolean(rows, r2));
        assertFalse(t.column("flag").isNull(rows, r2));
        assertEquals("héllo", t.column("label").getString(rows, r2));

        final int r3 = t.rowBase(t.rowOf(3));
        assertTrue(t.column("count").isNull(rows, r3));
        assertEquals(-700, t.column("price").getLong(rows, r3));
        assertTrue(t.column("flag").isNull(rows, r3));
        assertTrue(t.column("label").isNull(rows, r3));
        assertEquals("2.5", t.column("mixed").getString(rows, r3));
        assertEquals(1000.0, t.column("ratio").getDouble(rows, t.rowBase(t.rowOf(1))));
        assertEquals(LookupTable.MISSING, t.rowOf(4));
    }

    @Test
    void allEmptyColumnIsStringOfOneAndDecimalBeyond18DigitsIsDouble() throws Exception
    {
        final LookupTable t = load(dir, "t.csv", "id,nothing,wide\n1,,123456789012345678\n2,,0.5\n",
            options("key", "id"));
        assertEquals("string(1)", type(t, "nothing"));
        assertEquals("double", type(t, "wide"));
    }

    @Test
    void declaredTypesOverrideInference() throws Exception
    {
        final LookupTable t = load(dir, "t.csv",
            "id,small,amount,name,at,f\n" +
            "7,5,1.5,bob,2024-05-01T12:00:00Z,2.5\n" +
            "8,-5,2,al,1000000,\n",
            options("key", "id", "columns", columns("id", "int", "small", "int", "amount", "decimal(4)",
                "name", "string(8)", "at", "timestamp", "f", "double")));
        assertEquals("int32", type(t, "id"));
        assertEquals("decimal(4)", type(t, "amount"));
        assertEquals("string(8)", type(t, "name"));
        assertEquals(FieldType.TIMESTAMP, t.column("at").type());
        final DirectBuffer rows = t.rows();
        final int r7 = t.rowBase(t.rowOf(7));
        assertEquals(15000, t.column("amount").getLong(rows, r7));
        assertEquals(1714564800L * 1_000_000L, t.column("at").getLong(rows, r7));
        assertEquals(1_000_000L, t.column("at").getLong(rows, t.rowBase(t.rowOf(8))));
        assertTrue(t.column("f").isNull(rows, t.rowBase(t.rowOf(8))));
        assertEquals(4, t.column("id").length());
        assertEquals(7, t.column("id").getLong(rows, r7));
    }

    @Test
    void readsQuotedCsvValues() throws Exception
    {
        final LookupTable t = load(dir, "t.csv",
            "\uFEFFcode,text,n\r\n" +
            "a,\"x, y\",1\r\n" +
            "\"b\",\"say \"\"hi\"\"\",2\r\n" +
            "c,\"two\nlines\",3\r\n" +
            "\r\n" +
            "d,\"\",4\r\n", options("key", "code"));
        assertEquals(4, t.size());
        assertEquals("string(1)", type(t, "code"));
        final Field text = t.column("text");
        assertEquals("x, y", text.getString(t.rows(), t.rowBase(t.rowOf("a"))));
        assertEquals("say \"hi\"", text.getString(t.rows(), t.rowBase(t.rowOf("b"))));
        assertEquals("two\nlines", text.getString(t.rows(), t.rowBase(t.rowOf("c"))));
        assertTrue(text.isNull(t.rows(), t.rowBase(t.rowOf("d"))));
        assertEquals(4, t.column("n").getLong(t.rows(), t.rowBase(t.rowOf("d"))));
    }

    @Test
    void headerlessCsvWithDelimiter() throws Exception
    {
        final LookupTable t = load(dir, "t.txt", "1;alpha\n2;beta\n",
            options("format", "csv", "key", "id", "delimiter", ";", "header", "false",
                "columns", columns("id", "long", "name", "string(5)")));
        assertEquals(2, t.size());
        assertEquals("beta", t.column("name").getString(t.rows(), t.rowBase(t.rowOf(2))));
    }

    @Test
    void tabDelimiter() throws Exception
    {
        final LookupTable t = load(dir, "t.tsv", "k\tv\nx\t1\n", options("format", "csv", "key", "k",
            "delimiter", "\\t"));
        assertEquals(1, t.column("v").getLong(t.rows(), t.rowBase(t.rowOf("x"))));
    }

    @Test
    void loadsJsonLinesWithInferenceAndNulls() throws Exception
    {
        final LookupTable t = load(dir, "t.jsonl",
            "{\"sku\": \"A-1\", \"price\": 9.99, \"stock\": 3, \"active\": true, \"code\": \"007\"}\n" +
            "\n" +
            "{\"sku\": \"B-22\", \"price\": 10, \"stock\": null, \"active\": false, \"code\": \"12\", " +
            "\"note\": \"n\"}\n" +
            "{\"price\": 1.5, \"sku\": \"C-333\", \"code\": \"\"}\n", options("key", "sku"));
        assertEquals(3, t.size());
        assertEquals("string(5)", type(t, "sku"));
        assertEquals("decimal(2)", type(t, "price"));
        assertEquals("long", type(t, "stock"));
        assertEquals("boolean", type(t, "active"));
        assertEquals("string(3)", type(t, "code"), "JSON strings stay strings even when they look like numbers");
        assertEquals("string(1)", type(t, "note"));
        final DirectBuffer rows = t.rows();
        final int b = t.rowBase(t.rowOf("B-22"));
        assertEquals(1000, t.column("price").getLong(rows, b));
        assertTrue(t.column("stock").isNull(rows, b));
        assertEquals("n", t.column("note").getString(rows, b));
        final int c = t.rowBase(t.rowOf("C-333"));
        assertTrue(t.column("active").isNull(rows, c), "a field a line leaves out is NULL");
        assertTrue(t.column("code").isNull(rows, c), "an empty string is NULL");
        assertTrue(t.column("note").isNull(rows, t.rowBase(t.rowOf("A-1"))));
        assertEquals("007", t.column("code").getString(rows, t.rowBase(t.rowOf("A-1"))));
    }

    @Test
    void jsonLinesWithDeclaredTypes() throws Exception
    {
        final LookupTable t = load(dir, "t.ndjson",
            "{\"id\": 1, \"v\": \"42\", \"ts\": \"2024-05-01\"}\n{\"id\": 2, \"v\": 7, \"ts\": 5}\n",
            options("key", "id", "columns", columns("v", "long", "ts", "timestamp")));
        assertEquals(42, t.column("v").getLong(t.rows(), t.rowBase(t.rowOf(1))));
        assertEquals(1714521600L * 1_000_000L, t.column("ts").getLong(t.rows(), t.rowBase(t.rowOf(1))));
        assertEquals(5, t.column("ts").getLong(t.rows(), t.rowBase(t.rowOf(2))));
    }

    @Test
    void stringKeysCompareWholeValues() throws Exception
    {
        final LookupTable t = load(dir, "t.csv", "k,v\nab,1\nabc,2\nabcdefghijk,3\n", options("key", "k"));
        assertEquals("string(11)", type(t, "k"));
        assertEquals(0, t.rowOf("ab"));
        assertEquals(1, t.rowOf("abc"));
        assertEquals(2, t.rowOf("abcdefghijk"));
        assertEquals(LookupTable.MISSING, t.rowOf("a"));
        assertEquals(LookupTable.MISSING, t.rowOf("abcd"));
        assertEquals(LookupTable.MISSING, t.rowOf("abcdefghijkl"));
        assertEquals(LookupTable.MISSING, t.rowOf(1));
    }

    @Test
    void keyThatLooksDecimalIsAString() throws Exception
    {
        final LookupTable t = load(dir, "t.csv", "version,v\n1.0,a\n1.10,b\n", options("key", "version"));
        assertEquals(FieldType.STRING, t.keyColumn().type());
        assertEquals(1, t.rowOf("1.10"));
    }

    private static String type(final LookupTable t, final String column)
    {
        return t.column(column).typeDescription();
    }
}
