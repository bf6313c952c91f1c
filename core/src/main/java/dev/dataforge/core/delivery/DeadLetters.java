package dev.dataforge.core.delivery;

import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.ring.EventSlot;
import org.agrona.DirectBuffer;

import java.time.Instant;
import java.util.Arrays;

/**
 * The sink stage's side of the dead-letter queue: turns a slot marked {@link EventSlot#DEAD_LETTER} into a
 * {@link DeadLetter} (the source's original bytes for a record it could not decode, the event as JSON otherwise)
 * for the pipeline's queue, whatever its type. A queue the sink enlisted takes each batch's dead letters inside the
 * sink's transaction; any other is written as dead letters come and flushed before each commit. The error path: it
 * allocates.
 */
public final class DeadLetters implements AutoCloseable
{
    private final DeadLetterQueue queue;
    private final String pipeline;
    private final JsonRecordWriter json;
    private final boolean enlisted;

    /** @param enlisted true when the sink writes the queue's entries in its own transactions. */
    public DeadLetters(final DeadLetterQueue queue, final String pipeline, final RecordLayout layout,
        final boolean enlisted)
    {
        this.queue = queue;
        this.pipeline = pipeline;
        this.json = new JsonRecordWriter(layout);
        this.enlisted = enlisted;
    }

    /** @return the dead letter in {@code slot}, whose record is in {@code memory}. */
    public DeadLetter of(final EventSlot slot, final DirectBuffer memory)
    {
        final boolean original = DeadLetter.SOURCE_STAGE.equals(slot.deadLetterStage());
        final byte[] payload = original ? slot.sourceBytes(memory) :
            Arrays.copyOf(json.array(), json.write(memory, slot.base()));
        return new DeadLetter(Instant.now(), pipeline, slot.deadLetterStage(), slot.deadLetterReason(),
            slot.partition(), slot.sourceOffset(), original, payload);
    }

    public void write(final DeadLetter letter) throws Exception
    {
        queue.write(letter);
    }

    /** @return true when the sink writes the entries in its transactions. */
    public boolean enlisted()
    {
        return enlisted;
    }

    /** Makes every entry written so far durable (a queue of its own); the sink stage calls it before it commits. */
    public void flush() throws Exception
    {
        if (!enlisted)
        {
            queue.flush();
        }
    }

    public String describe()
    {
        return queue.describe() + (enlisted ? " (in the sink's transactions)" : "");
    }

    @Override
    public void close() throws Exception
    {
        queue.close();
    }
}
