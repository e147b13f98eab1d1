package io.tiercel.core.component;

/** Creates extensions, one per id. */
public non-sealed interface ExtensionFactory<C extends Record> extends Factory<C> {
  @Override
  default Kind kind() {
    return Kind.EXTENSION;
  }

  Stability stability();

  Extension create(Settings settings, C config);
}
