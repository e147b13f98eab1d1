package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Factory;

/**
 * A configured component: its id, its factory, and its config record (defaults with the user YAML
 * laid over).
 */
public record ComponentConfig(ComponentId id, Factory<?> factory, Record config) {}
