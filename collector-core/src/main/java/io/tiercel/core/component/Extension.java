package io.tiercel.core.component;

/**
 * A component outside the pipelines (health check, storage). Started before pipelines, stopped
 * after.
 */
public non-sealed interface Extension extends Component {}
