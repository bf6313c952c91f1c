package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.RecordLayout;

import java.util.List;

/**
 * The enricher an enrich stage uses now. The stage reads {@link #current()} once per event (a volatile read); a
 * refresh binds the new version off the hot path and {@link #swap swaps} it in whole, so each event is enriched
 * from one version: the old or the new, never a mix of the two.
 */
public final class LiveEnricher
{
    private final Field eventKey;
    private final List<String> select;
    private final String prefix;
    private final RecordLayout before;
    private volatile Enricher current;

    /** @throws IllegalArgumentException when the key or the selected columns do not fit, as {@link LookupTable#bind}. */
    public LiveEnricher(final LookupTable table, final Field eventKey, final List<String> select, final String prefix,
        final RecordLayout before)
    {
        this.eventKey = eventKey;
        this.select = select;
        this.prefix = prefix;
        this.before = before;
        this.current = table.bind(eventKey, select, prefix, before);
    }

    public Enricher current()
    {
        return current;
    }

    /** @return the record layout after this stage (the same for every version). */
    public RecordLayout layout()
    {
        return current.layout();
    }

    /**
     * Binds a new version as the first was bound (off the hot path: it allocates the version's images).
     *
     * @throws IllegalArgumentException when the version would place the columns differently.
     */
    Enricher bind(final LookupTable table)
    {
        final Enricher next = table.bind(eventKey, select, prefix, before);
        if (next.imageLength() != current.imageLength() ||
            !next.layout().fieldNames().equals(current.layout().fieldNames()))
        {
            throw new IllegalArgumentException("the new version's columns differ from those the enrich stage was " +
                "planned on (" + current.layout().fieldNames() + ")");
        }
        return next;
    }

    void swap(final Enricher next)
    {
        current = next;
    }
}
