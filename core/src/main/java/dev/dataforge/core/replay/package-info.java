/**
 * The journal as a source, for {@code replay}: re-delivers a range of a pipeline's journal to one sink, decoding
 * each entry into a ring slot with the journal's own codec. It is engine-internal (it reads the delivery layer's
 * journal format and the ring's slots), not a connector on the contract alone, so it lives here and not among the
 * built-in connectors.
 */
package dev.dataforge.core.replay;
