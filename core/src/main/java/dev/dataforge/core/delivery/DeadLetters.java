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
 * and hands it to the pipeline's queue, whatever its type. The error path: it allocates.
 */
public final class DeadLetters implements AutoCloseable
{
    private final DeadLetterQueue queue;
    private final String pipeline;
    private final JsonRecordWriter json;

    public DeadLetters(final DeadLetterQueue queue, final String pipeline, final RecordLayout layout)
    {
        this.queue = queue;
        this.pipeline = pipeline;
        this.json = new JsonRecordWriter(layout);
    }

    /** Writes the dead letter in {@code slot}, whose record is in {@code memory}. */
    public void write(final EventSlot slot, final DirectBuffer memory) throws Exception
    {
        final boolean original = DeadLetter.SOURCE_STAGE.equals(slot.deadLetterStage());
        final byte[] payload = original ? slot.sourceBytes(memory) :
            Arrays.copyOf(json.array(), json.write(memory, slot.base()));
        queue.write(new DeadLetter(Instant.now(), pipeline, slot.deadLetterStage(), slot.deadLetterReason(),
            slot.partition(), slot.sourceOffset(), original, payload));
    }

    /** Makes every entry written so far durable; the sink stage calls it before it commits. */
    public void flush() throws Exception
    {
        queue.flush();
    }

    public String describe()
    {
        return queue.describe();
    }

    @Override
    public void close() throws Exception
    {
        queue.close();
    }
}
