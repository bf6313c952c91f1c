package dev.dataforge.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema of JSON records when it is not the built-in one: given as a field list ({@code name: type [required]})
 * or inferred from sample records. Either way the result is a slot layout plus the fields that must be present; the
 * schema is then locked for the run and every record is validated against it by the transcoder.
 *
 * @param layout the slot layout (fields one after the other, then the enrichment region).
 * @param required the fields a record must have, not null.
 * @param notes what inference decided that a user should know (fields left out, and why).
 */
public record JsonSchema(RecordLayout layout, List<String> required, List<String> notes)
{
    /** Room for enrich columns, as in the built-in UserEvent schema. */
    public static final int ENRICHMENT_BYTES = 192;
    /** Widest string field a given schema takes. */
    public static final int MAX_STRING = 65_535;

    private static final Pattern REQUIRED = Pattern.compile("(?i)\\s*(.*?)\\s+(required|optional)\\s*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** A given field's name: a key, or the keys of a flattened object's member joined by dots. */
    private static final Pattern DOTTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}(\\.[A-Za-z_][A-Za-z0-9_]{0,127})*");
    /** Joins the keys of a flattened member's name while inferring (a key cannot hold it and be a usable name). */
    private static final char SEP = 0;
    /** How deep {@code flatten} goes. */
    public static final int MAX_FLATTEN_DEPTH = 8;
    private static final Pattern ISO_TIMESTAMP = Pattern.compile(
        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    /** The grammar of one field's type, for messages. */
    public static final String GRAMMAR = FieldTypes.KNOWN_EVENT + ", then optionally 'required'";

    /**
     * Parses one field of a given schema.
     *
     * @throws IllegalArgumentException saying what is wrong with the name or the type.
     */
    public static Field field(final String name, final String type, final Set<String> required)
    {
        if (!DOTTED.matcher(name).matches())
        {
            throw new IllegalArgumentException("field name '" + name + "' must be letters, digits and '_', not " +
                "starting with a digit (a member of a flattened object: its keys joined by dots, such as " +
                "repository.owner.login)");
        }
        final Matcher m = REQUIRED.matcher(type);
        final String typeText = m.matches() ? m.group(1) : type;
        if (m.matches() && "required".equalsIgnoreCase(m.group(2)))
        {
            required.add(name);
        }
        try
        {
            return FieldTypes.parse(name, typeText, MAX_STRING, true);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("field '" + name + "': " + e.getMessage());
        }
    }

    /** What inference saw of one field across the sample. */
    private static final class Seen
    {
        final Set<String> kinds = new LinkedHashSet<>();
        int present;
        int maxScale;
        boolean exponent;
        boolean object;
        boolean array;
    }

    /**
     * Infers a schema from sample records: integers → long, numbers with a fraction → decimal (their largest scale,
     * up to 9) or double (exponents, or more places), ISO-8601 UTC strings → timestamp, other strings → string
     * (variable length: as long as the record allows), true/false → boolean, objects and arrays → json (the value
     * carried whole, its paths readable by conditions). A field whose kinds differ between records (a number here,
     * a string there) becomes json too, noted. A field present and not null in every valid sample is required.
     * Fields that are null in every sample are left out (noted).
     *
     * @throws IllegalArgumentException when no sample is a JSON object.
     */
    public static JsonSchema infer(final String messageName, final List<byte[]> samples)
    {
        return infer(messageName, samples, path -> false);
    }

    /**
     * Infers a schema as {@link #infer(String, List)} does, flattening into columns the objects {@code flatten}
     * names (by their path, keys joined by dots; at most {@value #MAX_FLATTEN_DEPTH} deep): an object that is an
     * object (or null) in every sampled record becomes a column per member, named {@code path.key}, each inferred
     * the same way; arrays, and an object whose kinds differ between records, stay json.
     */
    public static JsonSchema infer(final String messageName, final List<byte[]> samples,
        final java.util.function.Predicate<String> flatten)
    {
        final Map<String, Seen> fields = new LinkedHashMap<>();
        int valid = 0;
        for (final byte[] sample : samples)
        {
            final Object record;
            try
            {
                record = JsonTree.parse(sample);
            }
            catch (final IllegalArgumentException notJson)
            {
                continue;
            }
            if (!(record instanceof Map))
            {
                continue;
            }
            valid++;
            observeAll(fields, "", (Map<?, ?>)record, flatten, 1);
        }
        if (valid == 0)
        {
            throw new IllegalArgumentException("none of the " + samples.size() + " sampled records is a JSON " +
                "object: nothing to infer a schema from");
        }
        final List<Field> out = new ArrayList<>();
        final List<String> required = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Set<String> flattened = new java.util.HashSet<>();
        for (final Map.Entry<String, Seen> e : fields.entrySet())
        {
            final String name = e.getKey();
            final Seen s = e.getValue();
            final int dot = name.lastIndexOf(SEP);
            final String parent = dot < 0 ? null : name.substring(0, dot);
            final String key = dot < 0 ? name : name.substring(dot + 1);
            if (parent != null && !flattened.contains(parent))
            {
                continue; // under an object kept whole (json) or left out
            }
            final String column = name.replace(SEP, '.');
            if (!NAME.matcher(key).matches())
            {
                notes.add("field '" + column + "' left out: not a usable field name");
                continue;
            }
            if (s.kinds.equals(Set.of("object")) && flatten.test(column) && depth(name) < MAX_FLATTEN_DEPTH)
            {
                flattened.add(name);
                continue;
            }
            final Field f = type(column, s, notes);
            if (f == null)
            {
                notes.add("field '" + name + "' left out: null in every sampled record");
                continue;
            }
            out.add(f);
            if (s.present == valid)
            {
                required.add(column);
            }
        }
        if (out.isEmpty())
        {
            throw new IllegalArgumentException("no field could be inferred from " + valid + " sampled records");
        }
        return new JsonSchema(RecordLayout.of(messageName, out, ENRICHMENT_BYTES), List.copyOf(required),
            List.copyOf(notes));
    }

    /** Observes a record's (or a flattened object's) members; a nested name joins its keys with NUL while inferring. */
    private static void observeAll(final Map<String, Seen> fields, final String prefix, final Map<?, ?> members,
        final java.util.function.Predicate<String> flatten, final int depth)
    {
        for (final Map.Entry<?, ?> e : members.entrySet())
        {
            final String name = prefix + e.getKey();
            observe(fields.computeIfAbsent(name, k -> new Seen()), e.getValue());
            if (e.getValue() instanceof Map && depth < MAX_FLATTEN_DEPTH && flatten.test(name.replace(SEP, '.')))
            {
                observeAll(fields, name + SEP, (Map<?, ?>)e.getValue(), flatten, depth + 1);
            }
        }
    }

    private static int depth(final String name)
    {
        int d = 1;
        for (int i = 0; i < name.length(); i++)
        {
            d += name.charAt(i) == SEP ? 1 : 0;
        }
        return d;
    }

    private static void observe(final Seen s, final Object v)
    {
        if (v == JsonTree.NULL)
        {
            return;
        }
        s.present++;
        if (v instanceof Map)
        {
            s.object = true;
            s.kinds.add("object");
        }
        else if (v instanceof List)
        {
            s.array = true;
            s.kinds.add("array");
        }
        else if (v instanceof Boolean)
        {
            s.kinds.add("boolean");
        }
        else if (v instanceof JsonTree.Number)
        {
            final JsonTree.Number n = (JsonTree.Number)v;
            if (n.isInteger())
            {
                s.kinds.add("integer");
            }
            else
            {
                s.kinds.add("number");
                s.exponent |= n.hasExponent();
                s.maxScale = Math.max(s.maxScale, n.scale());
            }
        }
        else
        {
            final String text = (String)v;
            s.kinds.add(ISO_TIMESTAMP.matcher(text).matches() ? "timestamp" : "string");
        }
    }

    private static Field type(final String name, final Seen s, final List<String> notes)
    {
        final Set<String> k = s.kinds;
        if (k.isEmpty())
        {
            return null;
        }
        if (k.equals(Set.of("object")) || k.equals(Set.of("array")))
        {
            return Field.variable(name, FieldType.JSON);
        }
        if (k.equals(Set.of("boolean")))
        {
            return new Field(name, FieldType.BOOLEAN, 0, 1, 0);
        }
        if (k.equals(Set.of("integer")))
        {
            return new Field(name, FieldType.LONG, 0, 8, 0);
        }
        if (k.equals(Set.of("number")) || k.equals(Set.of("integer", "number")) ||
            k.equals(Set.of("number", "integer")))
        {
            return s.exponent || s.maxScale > 9 ? new Field(name, FieldType.DOUBLE, 0, 8, 0) :
                new Field(name, FieldType.DECIMAL, 0, 8, s.maxScale);
        }
        if (k.equals(Set.of("timestamp")))
        {
            return new Field(name, FieldType.TIMESTAMP, 0, 8, 0);
        }
        if (k.equals(Set.of("string")) || k.equals(Set.of("string", "timestamp")) ||
            k.equals(Set.of("timestamp", "string")))
        {
            return Field.variable(name, FieldType.STRING);
        }
        notes.add("field '" + name + "' is json: it holds " + String.join(" and ", k) + " values in the sample, " +
            "which no one scalar type holds");
        return Field.variable(name, FieldType.JSON);
    }
}
