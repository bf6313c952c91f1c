package dev.dataforge.tuning.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Swap: the active swap areas ({@code /proc/swaps}, after its header line) and how eagerly the kernel swaps
 * ({@code /proc/sys/vm/swappiness}).
 *
 * @param areas      the active swap areas' names; null when {@code /proc/swaps} cannot be read.
 * @param swappiness 0 to 200, or -1 when unknown.
 */
public record Swap(List<String> areas, int swappiness)
{
    public static final String SWAPS = "/proc/swaps";
    public static final String SWAPPINESS = "/proc/sys/vm/swappiness";
    /** At or below this, the kernel swaps an anonymous page only under real memory pressure. */
    public static final int LOW_SWAPPINESS = 10;

    public static Swap read(final HostFiles host)
    {
        final String swaps = host.read(SWAPS);
        List<String> areas = null;
        if (swaps != null)
        {
            areas = new ArrayList<>();
            final String[] lines = swaps.split("\n");
            for (int i = 1; i < lines.length; i++)
            {
                final String line = lines[i].trim();
                if (!line.isEmpty())
                {
                    areas.add(line.split("\\s+")[0]);
                }
            }
            areas = List.copyOf(areas);
        }
        return new Swap(areas, swappiness(host.read(SWAPPINESS)));
    }

    private static int swappiness(final String text)
    {
        try
        {
            return text == null ? -1 : Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    /** @return the item {@code swap}. */
    public List<Finding> findings()
    {
        if (areas == null)
        {
            return List.of(new Finding("swap", Status.NOT_APPLICABLE, "unknown", SWAPS + " cannot be read",
                "swap cannot be judged", Finding.NOTHING));
        }
        final String found = SWAPS + ": " + (areas.isEmpty() ? "no swap areas" : String.join(", ", areas)) + "; " +
            SWAPPINESS + ": " + (swappiness < 0 ? "unknown" : swappiness);
        if (areas.isEmpty())
        {
            return List.of(new Finding("swap", Status.OK, "off", found,
                "no page of the heap or the ring can be swapped out", Finding.NOTHING));
        }
        final String why = "a heap or ring page swapped out stalls the thread that touches it for a disk read " +
            "(milliseconds), and a GC touching swapped pages stalls every thread";
        final String change = "swapoff -a and remove the swap line from /etc/fstab; if swap must stay, " +
            "sysctl vm.swappiness=1";
        if (swappiness >= 0 && swappiness <= LOW_SWAPPINESS)
        {
            return List.of(new Finding("swap", Status.WARN, "on, swappiness " + swappiness, found, why, change));
        }
        return List.of(new Finding("swap", Status.FAIL, "on, swappiness " + (swappiness < 0 ? "unknown" : swappiness),
            found, why, change));
    }
}
