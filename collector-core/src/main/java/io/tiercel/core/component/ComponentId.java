package io.tiercel.core.component;

import java.util.regex.Pattern;

/**
 * A component id {@code type[/name]}, with the OpenTelemetry Collector's rules: the type is 1 to 63
 * characters, a letter followed by letters, digits and underscores; the name (optional) is 1 to
 * 1024 characters of letters, digits, {@code . _ -} and {@code /}... minus leading/trailing spaces.
 */
public record ComponentId(String type, String name) implements Comparable<ComponentId> {
  private static final Pattern TYPE = Pattern.compile("^[a-zA-Z][0-9a-zA-Z_]{0,62}$");
  private static final Pattern NAME = Pattern.compile("^[^\\pZ\\pC\\pS]+$");

  public ComponentId {
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "invalid character(s) in type \""
              + type
              + "\": it must start with a letter and hold only letters, digits and '_' (at most"
              + " 63)");
    }
    name = name == null ? "" : name;
    if (!name.isEmpty() && (name.length() > 1024 || !NAME.matcher(name).matches())) {
      throw new IllegalArgumentException("invalid character(s) in name \"" + name + "\"");
    }
  }

  /**
   * Parses {@code type} or {@code type/name}; throws {@link IllegalArgumentException} with the rule
   * broken.
   */
  public static ComponentId parse(String id) {
    String s = id.strip();
    int slash = s.indexOf('/');
    if (slash < 0) {
      return new ComponentId(s, "");
    }
    String type = s.substring(0, slash).strip();
    String name = s.substring(slash + 1).strip();
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "in \"" + id + "\" id: the part after / should not be empty");
    }
    return new ComponentId(type, name);
  }

  public static ComponentId of(String type) {
    return new ComponentId(type, "");
  }

  @Override
  public int compareTo(ComponentId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
