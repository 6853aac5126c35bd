package io.envmon.api.sta;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser of the {@code $filter} subset envmon answers: {@code or}, {@code and},
 * {@code not}, parentheses and {@code eq ne gt ge lt le} between a property path and a literal
 * ({@code 'text'} with {@code ''} for a quote, numbers, ISO-8601 instants with offset, {@code
 * true}, {@code false}, {@code null}). Anything else (functions, arithmetic, {@code in}, {@code
 * has}, lambda operators) is a {@link FilterException} naming it.
 *
 * <pre>
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | comparison
 * comparison := "(" or ")" | operand op operand
 * </pre>
 */
public final class FilterParser {

  /** A $filter that is not in the subset, or not well formed; the message says where and why. */
  public static final class FilterException extends RuntimeException {
    FilterException(String message) {
      super(message);
    }
  }

  private static final Set<String> UNSUPPORTED_OPERATORS =
      Set.of("add", "sub", "mul", "div", "divby", "mod", "in", "has", "any", "all");
  private static final Pattern TOKEN =
      Pattern.compile(
          "\\s*(?:(?<string>'(?:[^']|'')*')|(?<open>\\()|(?<close>\\))|(?<comma>,)"
              + "|(?<instant>\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(?:Z|[+-]\\d{2}:\\d{2}))"
              + "|(?<number>-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)"
              + "|(?<word>[A-Za-z@$_][A-Za-z0-9@$_./]*))");

  private record Token(String text, int position, Kind kind) {
    enum Kind {
      STRING,
      OPEN,
      CLOSE,
      COMMA,
      INSTANT,
      NUMBER,
      WORD,
      END
    }

    boolean isWord(String word) {
      return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }
  }

  /**
   * The most {@code not}s and parentheses one inside another: deeper is a 400, not a stack
   * overflow.
   */
  static final int MAX_DEPTH = 32;

  private final List<Token> tokens;
  private int next;
  private int depth;

  private FilterParser(String text) {
    this.tokens = tokenize(text);
  }

  /** Parses a whole $filter; a {@link FilterException} when it is not one envmon answers. */
  public static Filter parse(String text) {
    if (text == null || text.isBlank()) {
      throw new FilterException("$filter is empty");
    }
    FilterParser parser = new FilterParser(text);
    Filter filter = parser.or();
    Token rest = parser.peek();
    if (rest.kind() != Token.Kind.END) {
      throw parser.error(rest, "expected and, or or the end, found '" + rest.text() + "'");
    }
    return filter;
  }

  private Filter or() {
    Filter left = and();
    while (peek().isWord("or")) {
      next++;
      left = new Filter.Or(left, and());
    }
    return left;
  }

  private Filter and() {
    Filter left = unary();
    while (peek().isWord("and")) {
      next++;
      left = new Filter.And(left, unary());
    }
    return left;
  }

  private Filter unary() {
    if (peek().isWord("not")) {
      Token not = take();
      deeper(not);
      Filter.Not filter = new Filter.Not(unary());
      depth--;
      return filter;
    }
    return comparison();
  }

  private Filter comparison() {
    Token first = peek();
    if (first.kind() == Token.Kind.OPEN) {
      next++;
      deeper(first);
      Filter inner = or();
      expect(Token.Kind.CLOSE, "')'");
      depth--;
      return inner;
    }
    Filter.Operand left = operand();
    Token operatorToken = take();
    Filter.Operator operator = operator(operatorToken);
    Filter.Operand right = operand();
    if (left instanceof Filter.Literal && right instanceof Filter.Literal) {
      throw error(first, "a comparison needs a property on one side");
    }
    if (left instanceof Filter.Path && right instanceof Filter.Path) {
      throw error(first, "comparing two properties is not supported; compare one with a literal");
    }
    return left instanceof Filter.Path
        ? new Filter.Comparison(operator, left, right)
        : new Filter.Comparison(operator.swapped(), right, left);
  }

  private void deeper(Token token) {
    if (++depth > MAX_DEPTH) {
      throw error(token, "more than " + MAX_DEPTH + " nots and parentheses one inside another");
    }
  }

  private Filter.Operator operator(Token token) {
    if (token.kind() == Token.Kind.WORD) {
      String word = token.text().toLowerCase(Locale.ROOT);
      for (Filter.Operator operator : Filter.Operator.values()) {
        if (operator.name().toLowerCase(Locale.ROOT).equals(word)) {
          return operator;
        }
      }
      if (UNSUPPORTED_OPERATORS.contains(word)) {
        throw error(token, "the operator '" + word + "' is not supported; " + supported());
      }
    }
    throw error(
        token,
        "expected a comparison operator, found "
            + (token.kind() == Token.Kind.END ? "the end" : "'" + token.text() + "'")
            + "; "
            + supported());
  }

  private Filter.Operand operand() {
    Token token = take();
    return switch (token.kind()) {
      case STRING ->
          new Filter.Literal(
              token.text().substring(1, token.text().length() - 1).replace("''", "'"));
      case NUMBER -> {
        try {
          yield new Filter.Literal(new BigDecimal(token.text()));
        } catch (NumberFormatException e) {
          // an exponent beyond an int's range, e.g. 1e9999999999
          throw error(token, "'" + token.text() + "' is not a number envmon can compare");
        }
      }
      case INSTANT -> {
        try {
          yield new Filter.Literal(OffsetDateTime.parse(token.text()).toInstant());
        } catch (DateTimeParseException e) {
          throw error(token, "'" + token.text() + "' is not an ISO-8601 date-time with offset");
        }
      }
      case WORD -> word(token);
      case END -> throw error(token, "expected a property or a literal, found the end");
      default ->
          throw error(token, "expected a property or a literal, found '" + token.text() + "'");
    };
  }

  private Filter.Operand word(Token token) {
    if (peek().kind() == Token.Kind.OPEN) {
      throw error(token, "the function " + token.text() + "() is not supported; " + supported());
    }
    String word = token.text();
    switch (word.toLowerCase(Locale.ROOT)) {
      case "true":
        return new Filter.Literal(Boolean.TRUE);
      case "false":
        return new Filter.Literal(Boolean.FALSE);
      case "null":
        return new Filter.Literal(null);
      default:
        break;
    }
    if (word.startsWith("/") || word.endsWith("/") || word.contains("//")) {
      throw error(token, "'" + word + "' is not a property path");
    }
    return new Filter.Path(List.copyOf(Arrays.asList(word.split("/"))));
  }

  private void expect(Token.Kind kind, String what) {
    Token token = take();
    if (token.kind() != kind) {
      throw error(
          token,
          "expected "
              + what
              + ", found "
              + (token.kind() == Token.Kind.END ? "the end" : "'" + token.text() + "'"));
    }
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token token = tokens.get(next);
    if (token.kind() != Token.Kind.END) {
      next++;
    }
    return token;
  }

  private FilterException error(Token token, String message) {
    return new FilterException("$filter at " + (token.position() + 1) + ": " + message);
  }

  private static String supported() {
    return "supported are eq, ne, gt, ge, lt, le, and, or, not and parentheses";
  }

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(text);
    int position = 0;
    while (position < text.length()) {
      if (blankFrom(text, position)) {
        break;
      }
      if (!matcher.find(position) || matcher.start() != position) {
        throw new FilterException(
            "$filter at "
                + (position + 1)
                + ": cannot read '"
                + text.substring(position, Math.min(text.length(), position + 20)).strip()
                + "' (a string needs single quotes, e.g. name eq 'Qingpu')");
      }
      Token.Kind kind = kindOf(matcher);
      int start = matcher.start(kind.name().toLowerCase(Locale.ROOT));
      tokens.add(new Token(matcher.group(kind.name().toLowerCase(Locale.ROOT)), start, kind));
      position = matcher.end();
    }
    tokens.add(new Token("", text.length(), Token.Kind.END));
    return tokens;
  }

  /** Whether only whitespace follows {@code position}: without copying the rest, once a token. */
  private static boolean blankFrom(String text, int position) {
    for (int i = position; i < text.length(); i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static Token.Kind kindOf(Matcher matcher) {
    for (Token.Kind kind : Token.Kind.values()) {
      if (kind != Token.Kind.END && matcher.group(kind.name().toLowerCase(Locale.ROOT)) != null) {
        return kind;
      }
    }
    throw new IllegalStateException("a token of no kind");
  }
}
