/**
 * The collector's own logs: {@link io.tiercel.core.telemetry.logs.LogSetup} applies {@code
 * service.telemetry.logs} (level, console or JSON encoding) to log4j2, and {@link
 * io.tiercel.core.telemetry.logs.JsonLogLayout} writes the collector's JSON log line, naming the
 * component a logger belongs to. It sits above {@code core.component} (it reads the component
 * logger names {@code Settings} hands out), while {@code core.telemetry} sits below it.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.telemetry.logs;
