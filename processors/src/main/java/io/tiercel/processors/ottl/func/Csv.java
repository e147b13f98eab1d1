package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * One CSV row read as Go's encoding/csv reads it (RFC 4180 quoting; with lazy quotes a quote may
 * appear inside a field). The row is one log entry, so a newline is part of the field it is in.
 */
final class Csv {
  private Csv() {}

  static List<String> row(String row, char delim, boolean lazyQuotes) {
    List<String> fields = new ArrayList<>();
    int i = 0;
    int n = row.length();
    while (true) {
      StringBuilder field = new StringBuilder();
      if (i < n && row.charAt(i) == '"') {
        int start = i;
        i++;
        while (true) {
          int q = row.indexOf('"', i);
          if (q < 0) {
            if (!lazyQuotes) {
              throw error(start, "extraneous or missing \" in quoted-field");
            }
            field.append(row, i, n);
            i = n;
            break;
          }
          field.append(row, i, q);
          i = q + 1;
          if (i < n && row.charAt(i) == '"') {
            field.append('"');
            i++;
          } else if (i >= n || row.charAt(i) == delim) {
            break;
          } else if (lazyQuotes) {
            field.append('"');
          } else {
            throw error(q, "extraneous or missing \" in quoted-field");
          }
        }
      } else {
        int end = row.indexOf(delim, i);
        if (end < 0) {
          end = n;
        }
        int quote = row.indexOf('"', i);
        if (!lazyQuotes && quote >= 0 && quote < end) {
          throw error(quote, "bare \" in non-quoted-field");
        }
        field.append(row, i, end);
        i = end;
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the delimiter
    }
  }

  private static OttlRuntimeException error(int index, String what) {
    return new OttlRuntimeException(
        "read csv line: parse error on line 1, column " + (index + 1) + ": " + what);
  }
}
