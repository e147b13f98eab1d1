package io.tiercel.core.component;

/**
 * Brings data into pipelines; one instance per receiver id, feeding every pipeline that lists it.
 */
public non-sealed interface Receiver extends Component {}
