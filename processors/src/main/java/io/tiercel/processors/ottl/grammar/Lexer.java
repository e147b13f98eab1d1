package io.tiercel.processors.ottl.grammar;

import io.tiercel.processors.ottl.eval.Bytes;
import java.util.ArrayList;
import java.util.List;

/** Splits OTTL text into tokens with their columns. */
final class Lexer {
  enum T {
    IDENT,
    STRING,
    INT,
    FLOAT,
    BYTES,
    PUNCT,
    EOF
  }

  record Tok(T type, String text, Object value, int col) {
    boolean is(String punct) {
      return type == T.PUNCT && text.equals(punct);
    }

    boolean isWord(String w) {
      return type == T.IDENT && text.equals(w);
    }

    String describe() {
      return type == T.EOF
          ? "end of input"
          : type == T.STRING ? "string " + text : "\"" + text + "\"";
    }
  }

  private Lexer() {}

  static List<Tok> lex(String s) {
    List<Tok> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      int col = i + 1;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int st = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Tok(T.IDENT, s.substring(st, i), null, col));
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char d = s.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\') {
            if (i + 1 >= n) {
              break;
            }
            char e = s.charAt(i + 1);
            switch (e) {
              case '"' -> sb.append('"');
              case '\\' -> sb.append('\\');
              case 'n' -> sb.append('\n');
              case 't' -> sb.append('\t');
              case 'r' -> sb.append('\r');
              case '/' -> sb.append('/');
              default ->
                  throw new CompileError(
                      i + 1,
                      "invalid escape sequence \"\\"
                          + e
                          + "\" in string: expected one of \\\" \\\\ \\n \\t \\r (write \\\\"
                          + e
                          + " for a backslash)");
            }
            i += 2;
          } else {
            sb.append(d);
            i++;
          }
        }
        if (!closed) {
          throw new CompileError(col, "unterminated string: expected a closing \"");
        }
        out.add(new Tok(T.STRING, s.substring(col - 1, i), sb.toString(), col));
      } else if (Character.isDigit(c)) {
        int st = i;
        if (c == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
          i += 2;
          while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
            i++;
          }
          String hex = s.substring(st + 2, i);
          Bytes b = hex.isEmpty() ? null : Bytes.parseHex(hex);
          if (b == null) {
            throw new CompileError(
                col,
                "invalid bytes literal \""
                    + s.substring(st, i)
                    + "\": expected 0x followed by an even number of hex digits");
          }
          out.add(new Tok(T.BYTES, s.substring(st, i), b, col));
          continue;
        }
        boolean isFloat = false;
        while (i < n && Character.isDigit(s.charAt(i))) {
          i++;
        }
        if (i < n && s.charAt(i) == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
          isFloat = true;
          i++;
          while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
          }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
          int save = i;
          i++;
          if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
          }
          if (i < n && Character.isDigit(s.charAt(i))) {
            isFloat = true;
            while (i < n && Character.isDigit(s.charAt(i))) {
              i++;
            }
          } else {
            i = save;
          }
        }
        String text = s.substring(st, i);
        if (isFloat) {
          out.add(new Tok(T.FLOAT, text, Double.parseDouble(text), col));
        } else {
          try {
            out.add(new Tok(T.INT, text, Long.parseLong(text), col));
          } catch (NumberFormatException e) {
            throw new CompileError(col, "integer literal " + text + " is out of the int64 range");
          }
        }
      } else {
        String two = i + 1 < n ? s.substring(i, i + 2) : "";
        if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")) {
          out.add(new Tok(T.PUNCT, two, null, col));
          i += 2;
        } else if ("()[]{},.:=<>+-*/".indexOf(c) >= 0) {
          out.add(new Tok(T.PUNCT, String.valueOf(c), null, col));
          i++;
        } else {
          throw new CompileError(col, "unexpected character '" + c + "'");
        }
      }
    }
    out.add(new Tok(T.EOF, "", null, n + 1));
    return out;
  }
}
