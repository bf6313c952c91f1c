package dev.dataforge.api.deadletter;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code dead_letter: {type: sink}}: dead letters go to the sink itself, in the same transaction as the batch they
 * came from, for a sink that takes them ({@code Sink.enlist}; the SQL sinks write them to a table beside the
 * events). The sink stage writes each batch's dead letters here just before it commits; the sink takes them
 * ({@link #take()}) inside its commit and forgets them when the commit is aborted (the stage writes them again).
 */
public final class SinkDeadLetters implements DeadLetterQueue
{
    /** The table a SQL sink writes them to unless {@code table} says otherwise. */
    public static final String DEFAULT_TABLE = "dataforge_dead_letters";

    private final List<DeadLetter> pending = new ArrayList<>();
    private final String table;
    private String where = "the sink (not enlisted)";

    /** @param table the table (or the sink's equivalent) to write them to, or null for {@link #DEFAULT_TABLE}. */
    public SinkDeadLetters(final String table)
    {
        this.table = table == null ? DEFAULT_TABLE : table;
    }

    /** @return the table (or the sink's equivalent) to write them to. */
    public String table()
    {
        return table;
    }

    @Override
    public void write(final DeadLetter letter)
    {
        pending.add(letter);
    }

    /** @return the dead letters written since the last take, and forgets them. */
    public List<DeadLetter> take()
    {
        final List<DeadLetter> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }

    /** Forgets the pending dead letters (their batch was aborted). */
    public void discard()
    {
        pending.clear();
    }

    /** Names where the enlisting sink writes them, for the summary. */
    public void writtenTo(final String description)
    {
        where = description;
    }

    @Override
    public void flush()
    {
    }

    @Override
    public String describe()
    {
        return where;
    }

    @Override
    public void close()
    {
    }
}
