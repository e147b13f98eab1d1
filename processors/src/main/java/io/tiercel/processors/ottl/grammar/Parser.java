package io.tiercel.processors.ottl.grammar;

import io.tiercel.processors.ottl.eval.CompareOp;
import io.tiercel.processors.ottl.grammar.Ast.Arg;
import io.tiercel.processors.ottl.grammar.Ast.Call;
import io.tiercel.processors.ottl.grammar.Ast.Node;
import io.tiercel.processors.ottl.grammar.Lexer.T;
import io.tiercel.processors.ottl.grammar.Lexer.Tok;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser of the OTTL grammar (statements and boolean conditions). */
public final class Parser {
  private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "where");
  private final List<Tok> toks;
  private int pos;

  private Parser(String text) {
    this.toks = Lexer.lex(text);
  }

  /** Parses a statement: an editor call with an optional {@code where} condition. */
  public static Ast.Statement statement(String text) {
    Parser p = new Parser(text);
    Tok t = p.peek();
    if (t.type() != T.IDENT || p.peekAt(1).type() != T.PUNCT || !p.peekAt(1).is("(")) {
      throw new CompileError(
          t.col(), "expected an editor call such as set(...), found " + t.describe());
    }
    if (!Character.isLowerCase(t.text().charAt(0))) {
      throw new CompileError(
          t.col(),
          "expected an editor (a lower-case function such as set), found converter \""
              + t.text()
              + "\"");
    }
    Node call = p.primary();
    Node where = null;
    if (p.peek().isWord("where")) {
      p.pos++;
      where = p.or();
    }
    p.expectEnd();
    return new Ast.Statement((Call) call, where);
  }

  /** Parses a condition. */
  public static Node condition(String text) {
    Parser p = new Parser(text);
    Node n = p.or();
    p.expectEnd();
    return n;
  }

  private void expectEnd() {
    Tok t = peek();
    if (t.type() != T.EOF) {
      throw new CompileError(
          t.col(),
          "expected end of input"
              + (t.isWord("where") ? "" : " or an operator")
              + ", found "
              + t.describe());
    }
  }

  private Tok peek() {
    return toks.get(pos);
  }

  private Tok peekAt(int k) {
    return toks.get(Math.min(pos + k, toks.size() - 1));
  }

  private Tok next() {
    return toks.get(pos++);
  }

  private void expect(String punct, String what) {
    Tok t = peek();
    if (!t.is(punct)) {
      throw new CompileError(t.col(), "expected " + what + ", found " + t.describe());
    }
    pos++;
  }

  // ------------------------------------------------------------ booleans

  private Node or() {
    int col = peek().col();
    List<Node> terms = new ArrayList<>();
    terms.add(and());
    while (peek().isWord("or")) {
      pos++;
      terms.add(and());
    }
    return terms.size() == 1 ? terms.get(0) : new Ast.Or(col, terms);
  }

  private Node and() {
    int col = peek().col();
    List<Node> terms = new ArrayList<>();
    terms.add(not());
    while (peek().isWord("and")) {
      pos++;
      terms.add(not());
    }
    return terms.size() == 1 ? terms.get(0) : new Ast.And(col, terms);
  }

  private Node not() {
    Tok t = peek();
    if (t.isWord("not")) {
      pos++;
      return new Ast.Not(t.col(), not());
    }
    return boolPrimary();
  }

  private static boolean isOperator(Tok t) {
    return t.type() == T.PUNCT && (CompareOp.of(t.text()) != null || "+-*/".contains(t.text()));
  }

  private Node boolPrimary() {
    Tok t = peek();
    int save = pos;
    CompileError first = null;
    if (t.is("(")) {
      try {
        pos++;
        Node inner = or();
        expect(")", "\")\"");
        if (!isOperator(peek())) {
          return inner;
        }
      } catch (CompileError e) {
        first = e;
      }
      pos = save;
    }
    try {
      Node left = value();
      Tok op = peek();
      CompareOp cmp = op.type() == T.PUNCT ? CompareOp.of(op.text()) : null;
      if (cmp != null) {
        pos++;
        Node right = value();
        return new Ast.Cmp(op.col(), cmp, left, right);
      }
      if (left instanceof Ast.Lit lit && lit.value() instanceof Boolean) {
        return left;
      }
      if (left instanceof Call c && !c.editor()) {
        return left;
      }
      if (left instanceof Call c) {
        throw new CompileError(
            c.col(),
            "editor \""
                + c.name()
                + "\" cannot be used in a condition: expected a"
                + " converter, a comparison or a boolean");
      }
      throw new CompileError(
          op.col(),
          "expected a comparison operator (==, !=, <, <=, >, >=), found " + op.describe());
    } catch (CompileError e) {
      if (first != null && first.column() > e.column()) {
        throw first;
      }
      throw e;
    }
  }

  // ------------------------------------------------------------ values and math

  private Node value() {
    Node l = mul();
    while (peek().is("+") || peek().is("-")) {
      Tok op = next();
      Node r = mul();
      l = new Ast.MathOp(op.col(), op.text().charAt(0), l, r);
    }
    return l;
  }

  private Node mul() {
    Node l = unary();
    while (peek().is("*") || peek().is("/")) {
      Tok op = next();
      Node r = unary();
      l = new Ast.MathOp(op.col(), op.text().charAt(0), l, r);
    }
    return l;
  }

  private Node unary() {
    Tok t = peek();
    if ((t.is("-") || t.is("+")) && (peekAt(1).type() == T.INT || peekAt(1).type() == T.FLOAT)) {
      pos++;
      Tok num = next();
      Object v = num.value();
      if (t.is("-")) {
        v = v instanceof Long l ? (Object) (-l) : (Object) (-(Double) v);
      }
      return new Ast.Lit(t.col(), v);
    }
    return primary();
  }

  private Node primary() {
    Tok t = next();
    switch (t.type()) {
      case STRING, INT, FLOAT, BYTES -> {
        return new Ast.Lit(t.col(), t.value());
      }
      case EOF -> throw new CompileError(t.col(), "expected a value, found end of input");
      case PUNCT -> {
        if (t.is("(")) {
          Node inner = value();
          expect(")", "\")\"");
          return inner;
        }
        if (t.is("{")) {
          return mapLit(t);
        }
        if (t.is("[")) {
          return listLit(t);
        }
        throw new CompileError(t.col(), "expected a value, found " + t.describe());
      }
      default -> {}
    }
    String name = t.text();
    switch (name) {
      case "true" -> {
        return new Ast.Lit(t.col(), Boolean.TRUE);
      }
      case "false" -> {
        return new Ast.Lit(t.col(), Boolean.FALSE);
      }
      case "nil" -> {
        return new Ast.Lit(t.col(), null);
      }
      default -> {}
    }
    if (KEYWORDS.contains(name)) {
      throw new CompileError(t.col(), "expected a value, found keyword \"" + name + "\"");
    }
    if (peek().is("(")) {
      pos++;
      List<Arg> args = args();
      return new Call(t.col(), name, args, keys());
    }
    if (Character.isUpperCase(name.charAt(0))) {
      return new Ast.Ident(t.col(), name);
    }
    List<String> names = new ArrayList<>();
    names.add(name);
    while (peek().is(".")) {
      pos++;
      Tok n = next();
      if (n.type() != T.IDENT) {
        throw new CompileError(n.col(), "expected a field name after \".\", found " + n.describe());
      }
      names.add(n.text());
    }
    return new Ast.Path(t.col(), List.copyOf(names), keys());
  }

  private List<Node> keys() {
    List<Node> keys = new ArrayList<>();
    while (peek().is("[")) {
      pos++;
      Tok k = peek();
      if (k.is("]")) {
        throw new CompileError(k.col(), "expected a key (a string or an int), found \"]\"");
      }
      keys.add(value());
      expect("]", "\"]\"");
    }
    return List.copyOf(keys);
  }

  private List<Arg> args() {
    List<Arg> args = new ArrayList<>();
    if (peek().is(")")) {
      pos++;
      return args;
    }
    boolean named = false;
    while (true) {
      Tok t = peek();
      if (t.type() == T.IDENT && peekAt(1).is("=")) {
        pos += 2;
        args.add(new Arg(t.col(), t.text(), argValue()));
        named = true;
      } else {
        if (named) {
          throw new CompileError(
              t.col(), "positional argument after a named argument: expected name = value");
        }
        args.add(new Arg(t.col(), null, argValue()));
      }
      Tok sep = next();
      if (sep.is(")")) {
        return args;
      }
      if (!sep.is(",")) {
        throw new CompileError(
            sep.col(), "expected \",\" or \")\" after an argument, found " + sep.describe());
      }
    }
  }

  private Node argValue() {
    return isLambda() ? lambda() : value();
  }

  /** At {@code (}: whether a lambda follows, {@code ()} or {@code (a, b)} then {@code =>}. */
  private boolean isLambda() {
    if (!peek().is("(")) {
      return false;
    }
    int k = 1;
    if (peekAt(k).type() == T.IDENT) {
      k++;
      while (peekAt(k).is(",") && peekAt(k + 1).type() == T.IDENT) {
        k += 2;
      }
    }
    return peekAt(k).is(")") && arrowAt(k + 1);
  }

  private boolean arrowAt(int k) {
    Tok eq = peekAt(k);
    Tok gt = peekAt(k + 1);
    return eq.is("=") && gt.is(">") && gt.col() == eq.col() + 1;
  }

  private Node lambda() {
    Tok open = next();
    List<String> params = new ArrayList<>();
    while (!peek().is(")")) {
      Tok name = next();
      if (!name.text().equals("_") && params.contains(name.text())) {
        throw new CompileError(
            name.col(), "lambda parameter \"" + name.text() + "\" is declared twice");
      }
      params.add(name.text());
      if (peek().is(",")) {
        pos++;
      }
    }
    pos += 3; // ")", "=", ">"
    int save = pos;
    Node body;
    try {
      body = or();
      if (!peek().is(",") && !peek().is(")")) {
        throw new CompileError(peek().col(), "expected \",\" or \")\" after a lambda");
      }
    } catch (CompileError e) {
      pos = save;
      body = value();
    }
    return new Ast.Lambda(open.col(), List.copyOf(params), body);
  }

  private Node mapLit(Tok open) {
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    if (peek().is("}")) {
      pos++;
      return new Ast.MapLit(open.col(), keys, values);
    }
    while (true) {
      Tok k = next();
      if (k.type() != T.STRING) {
        throw new CompileError(k.col(), "expected a string map key, found " + k.describe());
      }
      expect(":", "\":\"");
      keys.add((String) k.value());
      values.add(value());
      Tok sep = next();
      if (sep.is("}")) {
        return new Ast.MapLit(open.col(), keys, values);
      }
      if (!sep.is(",")) {
        throw new CompileError(
            sep.col(), "expected \",\" or \"}\" in a map literal, found " + sep.describe());
      }
    }
  }

  private Node listLit(Tok open) {
    List<Node> values = new ArrayList<>();
    if (peek().is("]")) {
      pos++;
      return new Ast.ListLit(open.col(), values);
    }
    while (true) {
      values.add(value());
      Tok sep = next();
      if (sep.is("]")) {
        return new Ast.ListLit(open.col(), values);
      }
      if (!sep.is(",")) {
        throw new CompileError(
            sep.col(), "expected \",\" or \"]\" in a list, found " + sep.describe());
      }
    }
  }
}
