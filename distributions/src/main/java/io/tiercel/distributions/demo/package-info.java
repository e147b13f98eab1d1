/**
 * {@code tiercel demo}: both tiers end to end on one machine, with an embedded single-node KRaft
 * broker, live progress and a summary that must reconcile. Contributed to the CLI through {@link
 * io.tiercel.distributions.demo.DemoCommandProvider}.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.distributions.demo;
