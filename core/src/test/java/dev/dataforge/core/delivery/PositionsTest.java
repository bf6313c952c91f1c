package dev.dataforge.core.delivery;

import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionsTest
{
    @Test
    void commitsSetAndRecoveryRaisesEachPartitionsPosition()
    {
        final Positions p = new Positions();
        assertEquals(Map.of(), p.snapshot());
        assertEquals(Positions.ABSENT, p.get(3));
        p.set(2, 10);
        p.raise(40, 7); // grows past the table
        p.raise(2, 5);  // recovery never lowers a committed position
        assertEquals(Map.of(2, 10L, 40, 7L), p.snapshot());
        p.set(2, 4);    // a commit sets it (the sink stage's own order)
        p.raise(0, -1); // nothing settled yet is a position too
        assertEquals(Map.of(0, -1L, 2, 4L, 40, 7L), p.snapshot());
        assertEquals(Positions.ABSENT, p.get(1));
    }

    /** A sink that writes nothing anywhere; it keeps the interface's commit(List). */
    private static class Blackhole implements Sink
    {
        @Override
        public void open()
        {
        }

        @Override
        public void append(final DirectBuffer buffer, final int base)
        {
        }

        @Override
        public void commit()
        {
        }

        @Override
        public void close()
        {
        }
    }

    @Test
    void checkpointsAreBuiltOnlyForSinksThatTakeThem()
    {
        assertFalse(SinkStage.takesCheckpoints(new Blackhole()));
        assertTrue(SinkStage.takesCheckpoints(new Blackhole()
        {
            @Override
            public void commit(final List<Checkpoint> checkpoints)
            {
            }
        }));
    }
}
