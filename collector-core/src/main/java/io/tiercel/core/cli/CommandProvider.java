package io.tiercel.core.cli;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A subcommand contributed by another module (the {@code demo} of the distributions), found with
 * {@link java.util.ServiceLoader} under {@code
 * META-INF/services/io.tiercel.core.cli.CommandProvider}.
 */
public interface CommandProvider {
  /** What a contributed command may use. */
  record Environment(
      ComponentRegistry registry, BuildInfo build, PrintStream out, PrintStream err) {}

  /** The subcommand name, e.g. {@code demo}. */
  String name();

  /** A picocli command object (annotated with {@code @Command}) returning the exit code. */
  Callable<Integer> command(Environment env);
}
