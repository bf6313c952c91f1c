package dev.dataforge.core.processing.lookup;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.Location;
import dev.dataforge.api.lookup.LookupException;
import dev.dataforge.core.builtin.FileLookupFactory;
import dev.dataforge.core.pipeline.Connectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.dataforge.core.processing.lookup.LookupTestSupport.columns;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.load;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LookupErrorsTest
{
    @TempDir
    Path dir;

    @Test
    void missingFile()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> new FileLookupFactory().load("t", LookupTestSupport.config(options("path", "nope.csv", "key", "id"),
                dir), dir));
        assertEquals(dir.resolve("nope.csv") + ": cannot read the lookup file: it does not exist", e.getMessage());
        assertEquals(0, e.getStackTrace().length, "no stack trace for the user");
    }

    @Test
    void fileThatIsNotUtf8() throws Exception
    {
        Files.write(dir.resolve("bin.csv"), new byte[]{'i', 'd', '\n', (byte)0xC3, (byte)0x28, '\n'});
        final LookupException e = assertThrows(LookupException.class,
            () -> new FileLookupFactory().load("t", LookupTestSupport.config(options("path", "bin.csv", "key", "id"),
                dir), dir));
        assertEquals(dir.resolve("bin.csv") + ": cannot read the lookup file: it is not UTF-8 text", e.getMessage());
    }

    @Test
    void missingKeyColumnSuggestsTheClosest()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "user_id,name\n1,a\n", options("key", "userid")));
        assertEquals(path("t.csv") + ":1: key column 'userid' is not among the columns; did you mean 'user_id'? " +
            "(columns: user_id, name)", e.getMessage());
    }

    @Test
    void duplicateKeyNamesBothLines()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,v\n1,a\n2,b\n\n1,c\n", options("key", "id")));
        assertEquals(path("t.csv") + ":5: column 'id': duplicate key 1, already on line 2; keys must be unique",
            e.getMessage());
        assertEquals(5, e.line());
        assertEquals("column 'id'", e.column());
    }

    @Test
    void duplicateStringKeyInJsonLines()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.jsonl", "{\"k\": \"x\"}\n{\"k\": \"y\"}\n{\"k\": \"x\"}\n", options("key", "k")));
        assertEquals(path("t.jsonl") + ":3: field 'k': duplicate key 'x', already on line 1; keys must be unique",
            e.getMessage());
    }

    @Test
    void nullKey()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,v\n1,a\n,b\n", options("key", "id")));
        assertEquals(path("t.csv") + ":3: column 'id': the key is empty (NULL); every row needs a key",
            e.getMessage());
        final LookupException j = assertThrows(LookupException.class,
            () -> load(dir, "t.jsonl", "{\"k\": \"x\", \"v\": 1}\n{\"v\": 2}\n", options("key", "k")));
        assertEquals(path("t.jsonl") + ":2: field 'k': the key is empty (NULL); every row needs a key",
            j.getMessage());
    }

    @Test
    void valueThatDoesNotFitTheDeclaredType()
    {
        assertMessage(":3: column 'n': 'abc' is not an integer (long)",
            "id,n\n1,5\n2,abc\n", columns("n", "long"));
        assertMessage(":2: column 'n': '1.5' is not a whole number (int32)",
            "id,n\n1,1.5\n", columns("n", "int"));
        assertMessage(":2: column 'n': '3000000000' does not fit int32 (-2147483647 to 2147483647)",
            "id,n\n1,3000000000\n", columns("n", "int"));
        assertMessage(":2: column 'n': '1.234' has more than 2 decimal places (decimal(2)); declare a larger scale",
            "id,n\n1,1.234\n", columns("n", "decimal(2)"));
        assertMessage(":2: column 'n': 'yes' is not true or false (boolean)",
            "id,n\n1,yes\n", columns("n", "boolean"));
        assertMessage(":2: column 'n': 'x' is not a number (double)",
            "id,n\n1,x\n", columns("n", "double"));
        assertMessage(":2: column 'n': 'May 1' is not a timestamp (epoch microseconds, 2024-05-01, " +
            "2024-05-01T12:00:00 in UTC, or 2024-05-01T12:00:00+02:00)", "id,n\n1,May 1\n", columns("n", "timestamp"));
        assertMessage(":2: column 'n': '1234567890123456789' is too large for decimal(2) (at most 18 digits)",
            "id,n\n1,1234567890123456789\n", columns("n", "decimal(2)"));
    }

    @Test
    void stringLongerThanDeclared()
    {
        assertMessage(":3: column 'name': 'hello' is 5 bytes, longer than string(4)",
            "id,name\n1,abcd\n2,hello\n", columns("name", "string(4)"));
        assertMessage(":2: column 'name': 'été' is 5 bytes, longer than string(4)",
            "id,name\n1,été\n", columns("name", "string(4)"));
    }

    @Test
    void raggedCsvRows()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,a,b\n1,x,y\n2,x\n", options("key", "id")));
        assertEquals(path("t.csv") + ":3: row has 2 values but there are 3 columns (id, a, b)", e.getMessage());
        final LookupException more = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,a\n1,\"x\ny\",z\n2,x\n", options("key", "id")));
        assertEquals(path("t.csv") + ":2: row has 3 values but there are 2 columns (id, a)", more.getMessage());
    }

    @Test
    void badQuoting()
    {
        final LookupException unclosed = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,a\n1,x\n2,\"open\n3,y\n", options("key", "id")));
        assertEquals(path("t.csv") + ":3: column 'a': quote opened here is never closed", unclosed.getMessage());
        final LookupException stray = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,a\n1,ab\"c\n", options("key", "id")));
        assertTrue(stray.getMessage().startsWith(path("t.csv") + ":2: column 'a': quote inside an unquoted value"),
            stray.getMessage());
        final LookupException after = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,a\n1,\"ab\"c\n", options("key", "id")));
        assertEquals(path("t.csv") + ":2: column 'a': unexpected 'c' after a closing quote; expected ',' or the end " +
            "of the line", after.getMessage());
    }

    @Test
    void badJsonLines()
    {
        final LookupException nested = assertThrows(LookupException.class,
            () -> load(dir, "t.jsonl", "{\"k\": 1}\n{\"k\": 2, \"tags\": [1]}\n", options("key", "k")));
        assertTrue(nested.getMessage().startsWith(path("t.jsonl") + ":2: field 'tags': nested objects and arrays"),
            nested.getMessage());
        final LookupException broken = assertThrows(LookupException.class,
            () -> load(dir, "t.jsonl", "{\"k\": 1}\n{\"k\": 2,,}\n", options("key", "k")));
        assertTrue(broken.getMessage().startsWith(path("t.jsonl") + ":2: "), broken.getMessage());
        assertTrue(broken.getMessage().contains("invalid JSON at character"), broken.getMessage());
        final LookupException notObject = assertThrows(LookupException.class,
            () -> load(dir, "t.jsonl", "[1, 2]\n", options("key", "k")));
        assertEquals(path("t.jsonl") + ":1: expected a JSON object ({...}) on each line", notObject.getMessage());
        final LookupException twice = assertThrows(LookupException.class,
            () -> load(dir, "t.jsonl", "{\"k\": 1, \"k\": 2}\n", options("key", "k")));
        assertEquals(path("t.jsonl") + ":1: field 'k': appears twice on the line", twice.getMessage());
    }

    @Test
    void declaredColumnMissingFromTheFile()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id,tier\n1,a\n", options("key", "id", "columns", columns("tire", "string(4)"))));
        assertEquals(path("t.csv") + ":1: declared column 'tire' is not among the columns; did you mean 'tier'? " +
            "(columns: id, tier)", e.getMessage());
    }

    @Test
    void configProblemsAreReportedAtTheirLocation()
    {
        final ConfigException type = assertThrows(ConfigException.class,
            () -> load(dir, "t.csv", "id\n1\n", options("key", "id", "columns", columns("id", "integer"))));
        assertEquals(new Location(LookupTestSupport.PIPELINE, 13, 20), type.location());
        assertEquals("lookup 'test': column 'id': unknown type 'integer' (known: long, int, double, decimal(S), " +
            "string(N), boolean, timestamp)", type.detail());

        final ConfigException noHeaderNoColumns = assertThrows(ConfigException.class,
            () -> load(dir, "t.csv", "1\n", options("key", "id", "header", "false")));
        assertTrue(noHeaderNoColumns.detail().contains("'header: false' needs 'columns'"), noHeaderNoColumns.detail());

        final ConfigException format = assertThrows(ConfigException.class,
            () -> load(dir, "t.dat", "id\n1\n", options("key", "id")));
        assertEquals(new Location(LookupTestSupport.PIPELINE, 10, 7), format.location());
        assertTrue(format.detail().contains("set 'format' to csv or jsonl"), format.detail());

        final ConfigException delimiter = assertThrows(ConfigException.class,
            () -> load(dir, "t.csv", "id\n1\n", options("key", "id", "delimiter", "ab")));
        assertTrue(delimiter.detail().contains("'delimiter' must be one character"), delimiter.detail());

        final ConfigException csvOnly = assertThrows(ConfigException.class,
            () -> load(dir, "t.jsonl", "{\"id\": 1}\n", options("key", "id", "header", "false")));
        assertTrue(csvOnly.detail().contains("'header' applies to CSV files only"), csvOnly.detail());
    }

    @Test
    void keyColumnDeclaredWithAnUnusableType()
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", "id\n1.5\n", options("key", "id", "columns", columns("id", "double"))));
        assertEquals(path("t.csv") + ":1: column 'id': a key column must be an integer or a string, not double",
            e.getMessage());
    }

    @Test
    void unknownLookupTypeSuggestsTheClosest()
    {
        final Connectors connectors = new Connectors();
        assertInstanceOf(FileLookupFactory.class, connectors.lookups().get("file"));
        assertInstanceOf(FileLookupFactory.class, connectors.lookup("file", Location.UNKNOWN));
        final ConfigException e = assertThrows(ConfigException.class,
            () -> connectors.lookup("fiel", new Location("p.yaml", 4, 11)));
        assertEquals("p.yaml:4:11: unknown lookup type 'fiel'; did you mean 'file'? (available: file)",
            e.getMessage());
    }

    private void assertMessage(final String expectedAfterPath, final String csv, final Map<String, String> columns)
    {
        final LookupException e = assertThrows(LookupException.class,
            () -> load(dir, "t.csv", csv, options("key", "id", "columns", columns)));
        assertEquals(path("t.csv") + expectedAfterPath, e.getMessage());
    }

    private String path(final String file)
    {
        return dir.resolve(file).toString();
    }
}
