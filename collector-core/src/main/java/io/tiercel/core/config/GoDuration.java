package io.tiercel.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations in Go's syntax, which collector configs use: a sequence of decimal numbers with units
 * {@code ns, us (or µs, μs), ms, s, m, h}, e.g. {@code 300ms}, {@code 1h2m3.5s}, {@code -1.5h};
 * {@code 0} alone needs no unit.
 */
public final class GoDuration {
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /**
   * Parses a Go duration.
   *
   * @throws IllegalArgumentException when {@code s} is not one (the message is only a short reason)
   */
  public static Duration parse(String s) {
    String in = s.strip();
    if (in.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    int i = 0;
    boolean neg = false;
    if (in.charAt(0) == '-' || in.charAt(0) == '+') {
      neg = in.charAt(0) == '-';
      i = 1;
    }
    if (in.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == in.length()) {
      throw new IllegalArgumentException("no number");
    }
    BigDecimal total = BigDecimal.ZERO;
    while (i < in.length()) {
      int start = i;
      while (i < in.length() && (Character.isDigit(in.charAt(i)) || in.charAt(i) == '.')) {
        i++;
      }
      String num = in.substring(start, i);
      if (num.isEmpty() || num.equals(".") || num.indexOf('.') != num.lastIndexOf('.')) {
        throw new IllegalArgumentException("bad number");
      }
      int ustart = i;
      while (i < in.length() && !Character.isDigit(in.charAt(i)) && in.charAt(i) != '.') {
        i++;
      }
      long unitNanos =
          switch (in.substring(ustart, i)) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "" -> throw new IllegalArgumentException("missing unit");
            default -> throw new IllegalArgumentException("unknown unit");
          };
      total =
          total.add(
              new BigDecimal(num.endsWith(".") ? num + "0" : num)
                  .multiply(BigDecimal.valueOf(unitNanos)));
    }
    BigInteger nanos = total.toBigInteger();
    if (nanos.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("out of range");
    }
    return Duration.ofNanos(neg ? -nanos.longValue() : nanos.longValue());
  }

  /**
   * Formats like Go's {@code Duration.String()}, but writing {@code us} for microseconds: {@code
   * 0s}, {@code 1.5ms}, {@code 1m30s}, {@code 1h0m0s}.
   */
  public static String format(Duration d) {
    BigInteger n =
        BigInteger.valueOf(d.getSeconds())
            .multiply(BigInteger.valueOf(1_000_000_000L))
            .add(BigInteger.valueOf(d.getNano()));
    if (n.signum() == 0) {
      return "0s";
    }
    String sign = n.signum() < 0 ? "-" : "";
    n = n.abs();
    BigInteger second = BigInteger.valueOf(1_000_000_000L);
    if (n.compareTo(second) < 0) {
      long v = n.longValue();
      if (v < 1_000L) {
        return sign + v + "ns";
      }
      if (v < 1_000_000L) {
        return sign + fraction(v, 1_000L) + "us";
      }
      return sign + fraction(v, 1_000_000L) + "ms";
    }
    BigInteger[] hr = n.divideAndRemainder(BigInteger.valueOf(3_600_000_000_000L));
    BigInteger[] mn = hr[1].divideAndRemainder(BigInteger.valueOf(60_000_000_000L));
    StringBuilder sb = new StringBuilder(sign);
    if (hr[0].signum() > 0) {
      sb.append(hr[0]).append('h').append(mn[0]).append('m');
    } else if (mn[0].signum() > 0) {
      sb.append(mn[0]).append('m');
    }
    sb.append(fraction(mn[1].longValue(), 1_000_000_000L)).append('s');
    return sb.toString();
  }

  private static String fraction(long v, long unit) {
    BigDecimal d = BigDecimal.valueOf(v).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
    return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
  }
}
