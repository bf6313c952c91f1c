package dev.dataforge.tuning.host;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's boot parameters, from {@code /proc/cmdline}: {@code name=value} words (a value may be in double
 * quotes), up to a lone {@code --} after which the words are init's.
 */
public final class KernelCommandLine
{
    public static final String FILE = "/proc/cmdline";

    private final String text;
    private final Map<String, String> parameters;

    private KernelCommandLine(final String text, final Map<String, String> parameters)
    {
        this.text = text;
        this.parameters = parameters;
    }

    /** @return the host's command line; empty when {@code /proc/cmdline} cannot be read ({@link #known()} false). */
    public static KernelCommandLine read(final HostFiles host)
    {
        return parse(host.read(FILE));
    }

    /** @param text the command line, or null when unknown. */
    public static KernelCommandLine parse(final String text)
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (text != null)
        {
            final StringBuilder word = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i <= text.length(); i++)
            {
                final char c = i < text.length() ? text.charAt(i) : ' ';
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (Character.isWhitespace(c) && !quoted)
                {
                    if ("--".contentEquals(word))
                    {
                        break;
                    }
                    add(word.toString(), parameters);
                    word.setLength(0);
                }
                else
                {
                    word.append(c);
                }
            }
        }
        return new KernelCommandLine(text, parameters);
    }

    private static void add(final String word, final Map<String, String> parameters)
    {
        if (!word.isEmpty())
        {
            final int eq = word.indexOf('=');
            parameters.put(eq < 0 ? word : word.substring(0, eq), eq < 0 ? "" : word.substring(eq + 1));
        }
    }

    /** @return true when the command line could be read. */
    public boolean known()
    {
        return text != null;
    }

    /** @return the parameter's value, {@code ""} for a bare parameter, null when absent. */
    public String value(final String name)
    {
        return parameters.get(name);
    }

    /**
     * The CPUs of a list parameter such as {@code isolcpus=managed_irq,domain,4-31}: leading flags (words that start
     * with a letter) are dropped.
     *
     * @param all the set that {@code all} and a bare parameter stand for ({@code rcu_nocbs} accepts both), or null
     *            for a parameter that needs a list.
     * @return the CPUs; null when the parameter is absent or its list cannot be read.
     */
    public CpuSet cpus(final String name, final CpuSet all)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return null;
        }
        if (value.isEmpty() || "all".equals(value))
        {
            return all;
        }
        String list = value;
        while (!list.isEmpty() && Character.isLetter(list.charAt(0)))
        {
            final int comma = list.indexOf(',');
            list = comma < 0 ? "" : list.substring(comma + 1);
        }
        return list.isEmpty() ? null : CpuSet.parseList(list);
    }
}
