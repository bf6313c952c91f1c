package dev.dataforge.tuning.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's NUMA nodes and their CPUs, from {@code /sys/devices/system/node/node*}{@code /cpulist}.
 *
 * @param nodes the CPUs of each node by node number, in order; empty when the kernel shows no nodes.
 */
public record NumaNodes(Map<Integer, CpuSet> nodes)
{
    public static final String DIR = "/sys/devices/system/node";

    public static NumaNodes read(final HostFiles host)
    {
        final Map<Integer, CpuSet> nodes = new TreeMap<>();
        for (final String node : host.list(DIR, "node[0-9]+"))
        {
            final CpuSet cpus = CpuSet.parseList(host.read(DIR + "/" + node + "/cpulist"));
            nodes.put(Integer.parseInt(node.substring(4)), cpus == null ? CpuSet.EMPTY : cpus);
        }
        return new NumaNodes(Collections.unmodifiableMap(nodes));
    }

    /** @return the nodes that hold any of {@code cpus}. */
    public List<Integer> nodesOf(final CpuSet cpus)
    {
        final List<Integer> out = new ArrayList<>();
        nodes.forEach((n, set) ->
        {
            if (!set.and(cpus).isEmpty())
            {
                out.add(n);
            }
        });
        return out;
    }

    /** @return the item {@code numa}. */
    public List<Finding> findings()
    {
        if (nodes.isEmpty())
        {
            return List.of(new Finding("numa", Status.NOT_APPLICABLE, "no nodes shown", DIR + "/node* is absent",
                "a kernel without NUMA support treats memory as one node", Finding.NOTHING));
        }
        final List<String> parts = new ArrayList<>();
        nodes.forEach((n, cpus) -> parts.add("node" + n + ": " + cpus));
        final String found = DIR + "/node*/cpulist: " + String.join("; ", parts);
        if (nodes.size() == 1)
        {
            return List.of(new Finding("numa", Status.OK, "1 node", found,
                "all memory is local to every CPU", Finding.NOTHING));
        }
        return List.of(new Finding("numa", Status.OK, nodes.size() + " nodes", found,
            "memory on another node costs more per access, and the ring's slots move between the stages' caches: " +
                "stages on two nodes pay it on every event",
            "pin every stage to CPUs of one node (tune check --pipeline checks it), the node of the network card " +
                "that carries the source's traffic; the low-latency profile sets -XX:+UseNUMA"));
    }
}
