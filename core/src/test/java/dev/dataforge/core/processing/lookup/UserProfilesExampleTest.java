package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.builtin.FileLookupFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.dataforge.core.processing.lookup.LookupTestSupport.config;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserProfilesExampleTest
{
    @Test
    void committedFileIsWhatTheGeneratorMakesAndLoads() throws Exception
    {
        final Path file = Path.of(UserProfilesExample.FILE);
        final String expected = UserProfilesExample.generate();
        if (Boolean.getBoolean("dataforge.examples.write"))
        {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(file), "examples/user_profiles.csv differs from its generator; " +
            "run UserProfilesExampleTest with -Ddataforge.examples.write=true");
        assertTrue(Files.size(file) < 60 * 1024, "example is " + Files.size(file) + " bytes");

        final Path examples = file.getParent();
        final LookupTable users = LookupTableBuilder.build("users", new FileLookupFactory().load("users",
            config(options("path", "user_profiles.csv", "key", "user_id"), examples), examples));
        assertEquals(UserProfilesExample.MAX_ID - UserProfilesExample.MAX_ID / UserProfilesExample.MISSING_EVERY,
            users.size());
        assertEquals("[user_id long @0, name string(9) @8, tier string(10) @17, country string(2) @27, " +
            "signup_date string(10) @29, lifetime_value decimal(2) @39]", users.columns().toString());

        final RecordLayout before = SbeLayouts.userEvent();
        final Enricher enricher = users.bind(before.field("user_id"), List.of("tier", "country"), "user_", before);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[before.recordLength()]);
        before.field("user_id").putLong(slot, 0, 24);
        assertTrue(enricher.enrich(slot, 0));
        assertEquals(2, enricher.layout().field("user_country").getString(slot, 0).length());
        before.field("user_id").putLong(slot, 0, 25);
        assertFalse(enricher.enrich(slot, 0), "every 25th user is missing");
    }
}
