package io.tiercel.processors.transform;

import io.tiercel.processors.ottl.Group;

/**
 * A compiled statement group of the transform processor and its own option.
 *
 * @param sharedCache the group's {@code shared_cache}: its {@code cache} map is the one every group
 *     of the same context with this option uses, kept across the items of a batch; otherwise each
 *     item starts with an empty map
 */
public record TransformGroup(Group group, boolean sharedCache) {}
