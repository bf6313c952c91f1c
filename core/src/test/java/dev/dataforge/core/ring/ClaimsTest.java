package dev.dataforge.core.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ClaimsTest
{
    /**
     * A Kafka sink's store gives every claim epoch 0 (the group generation fences it): a partition lost and given
     * back must still not let events stamped under its earlier assignment pass for events of the new one.
     */
    @Test
    void aPartitionAssignedAgainGetsANewClaimThoughTheStoreEpochIsTheSame()
    {
        final Claims claims = new Claims();
        final long first = claims.own(3, 0);
        claims.release(3);
        assertEquals(Claims.NOT_OWNED, claims.claim(3));
        final long second = claims.own(3, 0);
        assertNotEquals(first, second);
        assertEquals(second, claims.claim(3));
        assertEquals(0, claims.storeEpoch(3));
        // assigned again without a revocation in between (an eager rebalance, or partitions lost): still a new claim
        final long third = claims.own(3, 7);
        assertNotEquals(second, third);
        assertEquals(7, claims.storeEpoch(3));
    }

    @Test
    void aFenceOfAnOlderClaimLeavesTheNewerOne()
    {
        final Claims claims = new Claims();
        final long old = claims.own(40, 1); // beyond the initial table: it grows, keeping what it held
        final long now = claims.own(40, 2);
        claims.fenced(40, old);
        assertEquals(now, claims.claim(40));
        claims.fenced(40, now);
        assertEquals(Claims.NOT_OWNED, claims.claim(40));
    }
}
