package io.tiercel.core.featuregate;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One feature gate as a component declares it. The id is the collector's id for the same behaviour,
 * so a collector command line's {@code --feature-gates} carries over.
 *
 * @param id letters, digits and dots, as the collector requires ({@code
 *     ottl.functions.enableLambda})
 * @param stage its stage, which fixes its default
 * @param description what enabling it changes
 * @param referenceUrl where the change is discussed (the collector's issue or pull request)
 */
public record Gate(String id, Stage stage, String description, String referenceUrl) {
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z.]+");

  public Gate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(referenceUrl, "referenceUrl");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "invalid feature gate id \"" + id + "\": only letters, digits and dots");
    }
  }

  /** Whether the gate is on when {@code --feature-gates} does not name it. */
  public boolean enabledByDefault() {
    return stage.enabledByDefault();
  }
}
