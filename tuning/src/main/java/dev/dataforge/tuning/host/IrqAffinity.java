package dev.dataforge.tuning.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where interrupts may run: each IRQ's {@code /proc/irq/N/smp_affinity_list}, the affinity new IRQs get
 * ({@code /proc/irq/default_smp_affinity}, a mask), and whether {@code irqbalance} runs (a process of that name in
 * {@code /proc/PID/comm}), which moves IRQs about every 10 seconds.
 *
 * @param irqs        the CPUs each IRQ may run on, by IRQ number in order.
 * @param defaults    the affinity of new IRQs, or null when unknown.
 * @param irqbalance  true when an irqbalance process runs.
 */
public record IrqAffinity(Map<Integer, CpuSet> irqs, CpuSet defaults, boolean irqbalance)
{
    public static final String DIR = "/proc/irq";

    public static IrqAffinity read(final HostFiles host)
    {
        final Map<Integer, CpuSet> irqs = new LinkedHashMap<>();
        for (final String irq : host.list(DIR, "[0-9]+"))
        {
            final CpuSet cpus = CpuSet.parseList(host.read(DIR + "/" + irq + "/smp_affinity_list"));
            if (cpus != null)
            {
                irqs.put(Integer.parseInt(irq), cpus);
            }
        }
        boolean irqbalance = false;
        for (final String pid : host.list("/proc", "[0-9]+"))
        {
            if ("irqbalance".equals(host.read("/proc/" + pid + "/comm")))
            {
                irqbalance = true;
                break;
            }
        }
        return new IrqAffinity(Collections.unmodifiableMap(irqs),
            CpuSet.parseMask(host.read(DIR + "/default_smp_affinity")), irqbalance);
    }

    /** @return the IRQs that may run on any of {@code cpus}, in order. */
    public List<Integer> on(final CpuSet cpus)
    {
        final List<Integer> out = new ArrayList<>();
        irqs.forEach((irq, affinity) ->
        {
            if (!affinity.and(cpus).isEmpty())
            {
                out.add(irq);
            }
        });
        return out;
    }

    /**
     * @param isolated     the CPUs kept for pinned stages.
     * @param housekeeping the online CPUs that are not isolated, where IRQs belong.
     * @return the item {@code irq affinity}.
     */
    public List<Finding> findings(final CpuSet isolated, final CpuSet housekeeping)
    {
        final List<Integer> intruders = on(isolated);
        final String found = irqs.size() + " IRQs in " + DIR + "; default_smp_affinity " + defaults + "; irqbalance " +
            (irqbalance ? "running" : "not running") +
            (intruders.isEmpty() ? "" : "; on isolated CPUs: IRQ " + list(intruders));
        final String balance = irqbalance ? "; irqbalance runs: ban the isolated CPUs in /etc/default/irqbalance " +
            "(IRQBALANCE_BANNED_CPULIST=" + isolated + ") or stop it" : "";
        if (isolated.isEmpty())
        {
            return List.of(new Finding("irq affinity", Status.NOT_APPLICABLE, "no isolated CPUs to keep IRQs off",
                found, "IRQs matter to pinned stages on isolated CPUs; here every CPU takes interrupts anyway",
                Finding.NOTHING));
        }
        if (!intruders.isEmpty())
        {
            return List.of(new Finding("irq affinity", Status.FAIL,
                intruders.size() + " of " + irqs.size() + " IRQs may run on isolated CPUs", found,
                "an interrupt on a stage's CPU preempts the stage for its handler and softirq work (microseconds, " +
                    "more under network load)",
                "echo " + housekeeping + " > " + DIR + "/N/smp_affinity_list for " +
                    "each IRQ" + balance));
        }
        if (defaults != null && !defaults.and(isolated).isEmpty())
        {
            return List.of(new Finding("irq affinity", Status.WARN, "new IRQs may land on isolated CPUs", found,
                "an IRQ registered later (a device reset, a new queue) starts on default_smp_affinity",
                "echo " + housekeeping.toMask() + " > " + DIR + "/default_smp_affinity (the housekeeping CPUs " +
                    housekeeping + ")" + balance));
        }
        return List.of(new Finding("irq affinity", Status.OK, "no IRQ on isolated CPUs", found,
            "interrupts stay off the stages' CPUs", irqbalance ? balance.substring(2) : Finding.NOTHING));
    }

    private static String list(final List<Integer> irqs)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < irqs.size() && i < 12; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(irqs.get(i));
        }
        return irqs.size() > 12 ? sb.append(" and ").append(irqs.size() - 12).append(" more").toString() :
            sb.toString();
    }
}
