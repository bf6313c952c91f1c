package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

import java.util.List;

/**
 * A {@code route} transform: each route sends the events its condition holds for to its sinks; an event several
 * conditions hold for goes to all their sinks (once each); one no condition holds for goes to {@code default}, or
 * counts as filtered when there is none.
 *
 * @param defaultSinks the sinks of events no route takes; empty when {@code default} was not given.
 */
public record RouteConfig(Location location, List<Route> routes, List<String> defaultSinks, ConfigNode defaultNode)
    implements TransformConfig
{
    /** One {@code - when: ..., to: [...]} entry. */
    public record Route(String condition, ConfigNode conditionNode, List<String> to, ConfigNode toNode)
    {
    }
}
