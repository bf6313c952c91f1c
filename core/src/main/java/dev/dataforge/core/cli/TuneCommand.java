package dev.dataforge.core.cli;

import picocli.CommandLine.Command;

/**
 * {@code tune}: the host tuning commands; {@code tune check} is the one so far.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, subcommands = TuneCheckCommand.class,
    description = "Checks this host (and a pipeline's thread layout) for low latency: see 'tune check --help'.")
final class TuneCommand
{
}
