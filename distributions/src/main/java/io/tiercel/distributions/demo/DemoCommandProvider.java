package io.tiercel.distributions.demo;

import io.tiercel.core.cli.CommandProvider;
import java.util.concurrent.Callable;

/** Contributes {@code tiercel demo}. */
public final class DemoCommandProvider implements CommandProvider {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public Callable<Integer> command(Environment env) {
    return new DemoCommand(env);
  }
}
