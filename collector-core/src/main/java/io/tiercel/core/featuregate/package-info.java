/**
 * Feature gates, as the OpenTelemetry Collector has them: named switches for behaviour that is new
 * ({@link io.tiercel.core.featuregate.Stage#ALPHA alpha}, off unless enabled), settling ({@code
 * beta}, on unless disabled), done ({@code stable}, always on) or on its way out ({@code
 * deprecated}, always off). Components declare the {@link io.tiercel.core.featuregate.Gate}s they
 * read; the command line's {@code --feature-gates} sets them for one service ({@link
 * io.tiercel.core.featuregate.FeatureGates}), which hands them to each component it builds. Nothing
 * here is static state: two services in one JVM may run with different gates.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.featuregate;
