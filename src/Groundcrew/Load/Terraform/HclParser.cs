using System.Globalization;
using System.Text;
using Groundcrew.Core;
using K = Groundcrew.Load.Terraform.HclTokenKind;

namespace Groundcrew.Load.Terraform;

/// <summary>
/// A recursive-descent parser for HCL2 native syntax (the language of .tf and .tfvars files), following
/// the HCL native syntax specification. Any input either yields an <see cref="HclBody"/> or an
/// <see cref="HclParseException"/> with a line and column; nothing else escapes.
/// </summary>
public sealed class HclParser
{
    private const int MaxDepth = 200;

    private readonly List<HclToken> _t;
    private readonly string _file;
    private int _p;
    private int _depth;
    private readonly Stack<bool> _ignoreNewlines = new();
    private bool _stripNextLiteral;

    private HclParser(List<HclToken> tokens, string file)
    {
        _t = tokens;
        _file = file;
        _ignoreNewlines.Push(false);
    }

    /// <summary>
    /// The token list of the last file parsed on this thread, reused for the next one: tokens live only while a file is
    /// parsed, and growing a new list for every file was the largest allocation of a Terraform scan.
    /// </summary>
    [ThreadStatic] private static List<HclToken>? _spareTokens;

    private static List<HclToken>? RentTokens()
    {
        var tokens = _spareTokens;
        _spareTokens = null;
        return tokens;
    }

    private static void ReturnTokens(List<HclToken> tokens)
    {
        tokens.Clear(); // the token texts are not kept alive
        if (tokens.Capacity <= 1 << 20) _spareTokens = tokens;
    }

    /// <summary>Parse a whole file. Throws <see cref="HclParseException"/> on a syntax error.</summary>
    public static HclBody ParseFile(string text, string file)
    {
        List<HclToken>? tokens = null;
        try
        {
            tokens = HclLexer.Lex(text, file, 1, 1, RentTokens());
            var parser = new HclParser(tokens, file);
            var body = parser.ParseBody(top: true);
            return body;
        }
        catch (HclParseException) { throw; }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HclParseException($"cannot parse: {ex.Message}", file, 1, 1);
        }
        finally
        {
            if (tokens != null) ReturnTokens(tokens);
        }
    }

    /// <summary>Parse a file, returning the error instead of throwing.</summary>
    public static (HclBody? Body, HclParseException? Error) TryParseFile(string text, string file)
    {
        try { return (ParseFile(text, file), null); }
        catch (HclParseException ex) { return (null, ex); }
    }

    /// <summary>Parse a template file (templatefile()): literal text with interpolations and directives.</summary>
    public static HclTemplate ParseTemplate(string text, string file) => ParseTemplate(text, file, 1, 1);

    /// <summary>Parse template text that starts at <paramref name="line"/>:<paramref name="column"/> of <paramref name="file"/> (a .tf.json string).</summary>
    public static HclTemplate ParseTemplate(string text, string file, int line, int column)
    {
        try
        {
            var parser = new HclParser(HclLexer.LexTemplate(text, file, line, column), file);
            var (parts, kw, kwTok) = parser.TemplateParts(K.Eof, heredoc: true);
            if (kw != null) throw parser.Error(kwTok, $"unexpected %{{ {kw} }} without a matching opening directive");
            return new HclTemplate { Parts = parts, IsHeredoc = true, Span = new SourceSpan(file, line, column, parser.Prev.EndLine, parser.Prev.EndColumn) };
        }
        catch (HclParseException) { throw; }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HclParseException($"cannot parse: {ex.Message}", file, line, column);
        }
    }

    /// <summary>Parse a single expression (for tests and tools).</summary>
    public static HclExpr ParseExpression(string text, string file = "<expr>") => ParseExpression(text, file, 1, 1);

    /// <summary>Parse an expression whose text starts at <paramref name="line"/>:<paramref name="column"/> of <paramref name="file"/>.</summary>
    public static HclExpr ParseExpression(string text, string file, int line, int column)
    {
        List<HclToken>? tokens = null;
        try
        {
            tokens = HclLexer.Lex(text, file, line, column, RentTokens());
            var parser = new HclParser(tokens, file);
            var e = parser.Expression();
            parser.SkipNewlines();
            if (parser.Peek().Kind != K.Eof) throw parser.Error(parser.Peek(), $"unexpected {Describe(parser.Peek())} after the expression");
            return e;
        }
        catch (HclParseException) { throw; }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HclParseException($"cannot parse: {ex.Message}", file, 1, 1);
        }
        finally
        {
            if (tokens != null) ReturnTokens(tokens);
        }
    }

    // ---- token helpers ----

    private HclToken Peek()
    {
        if (_ignoreNewlines.Peek())
            while (_t[_p].Kind == K.Newline) _p++;
        return _t[_p];
    }

    private HclToken PeekAt(int ahead)
    {
        Peek();
        var i = _p;
        for (var n = 0; n < ahead; n++)
        {
            if (_t[i].Kind == K.Eof) return _t[i];
            i++;
            if (_ignoreNewlines.Peek()) while (_t[i].Kind == K.Newline) i++;
        }
        return _t[i];
    }

    private HclToken Next()
    {
        var tk = Peek();
        if (tk.Kind != K.Eof) _p++;
        return tk;
    }

    private void SkipNewlines()
    {
        while (_t[_p].Kind == K.Newline) _p++;
    }

    private HclToken Expect(K kind, string what)
    {
        var tk = Peek();
        if (tk.Kind != kind) throw Error(tk, $"expected {what}, found {Describe(tk)}");
        _p++;
        return tk;
    }

    private HclParseException Error(HclToken at, string message) => new(message, _file, at.Line, at.Column);

    private static string Describe(HclToken tk) => tk.Kind switch
    {
        K.Eof => "end of file",
        K.Newline => "a newline",
        K.Ident => $"'{tk.Text}'",
        K.Literal => "text",
        _ => string.IsNullOrEmpty(tk.Text) ? tk.Kind.ToString() : $"'{tk.Text}'",
    };

    private SourceSpan Span(HclToken start, HclToken end) => new(_file, start.Line, start.Column, end.EndLine, end.EndColumn);
    private SourceSpan Span(HclToken start, HclNode end) => new(_file, start.Line, start.Column, end.Span.EndLine, end.Span.EndColumn);
    private SourceSpan Span(HclNode start, HclNode end) => new(_file, start.Span.StartLine, start.Span.StartColumn, end.Span.EndLine, end.Span.EndColumn);
    private SourceSpan Span(HclNode start, HclToken end) => new(_file, start.Span.StartLine, start.Span.StartColumn, end.EndLine, end.EndColumn);
    private HclToken Prev => _t[Math.Max(0, _p - 1)];

    private void Enter(HclToken at)
    {
        if (++_depth > MaxDepth) throw Error(at, "expression nested too deeply");
    }

    private void Leave() => _depth--;

    // ---- structure ----

    private HclBody ParseBody(bool top)
    {
        var first = Peek();
        var (attributes, blocks) = (new List<HclAttribute>(), new List<HclBlock>());
        while (true)
        {
            var tk = Peek();
            if (tk.Kind == K.Newline) { _p++; continue; }
            if (tk.Kind == K.Eof)
            {
                if (!top) throw Error(tk, "unexpected end of file: a block is missing its closing '}'");
                break;
            }
            if (tk.Kind == K.RBrace)
            {
                if (top) throw Error(tk, "unexpected '}' with no block to close");
                break;
            }
            if (tk.Kind != K.Ident) throw Error(tk, $"expected an attribute name or a block type, found {Describe(tk)}");
            _p++;
            var next = Peek();
            if (next.Kind == K.Assign)
            {
                attributes.Add(ParseAttributeRest(tk));
                EndOfLine("attribute");
            }
            else
            {
                blocks.Add(ParseBlockRest(tk));
                EndOfLine("block");
            }
        }
        var last = Prev;
        return new HclBody { Span = new SourceSpan(_file, first.Line, first.Column, last.EndLine, last.EndColumn), Attributes = attributes, Blocks = blocks };
    }

    private void EndOfLine(string what)
    {
        var tk = Peek();
        if (tk.Kind == K.Newline) { _p++; return; }
        if (tk.Kind == K.Eof) return;
        throw Error(tk, $"unexpected {Describe(tk)} after the {what}: each {what} must end with a newline");
    }

    private HclAttribute ParseAttributeRest(HclToken name)
    {
        Expect(K.Assign, "'='");
        var expr = Expression();
        return new HclAttribute
        {
            Name = name.Text,
            NameSpan = Span(name, name),
            Expression = expr,
            Span = Span(name, expr),
        };
    }

    private HclBlock ParseBlockRest(HclToken type)
    {
        Enter(type);
        var labels = new List<string>();
        var labelSpans = new List<SourceSpan>();
        while (true)
        {
            var tk = Peek();
            if (tk.Kind == K.Ident) { _p++; labels.Add(tk.Text); labelSpans.Add(Span(tk, tk)); continue; }
            if (tk.Kind == K.OQuote)
            {
                var tmpl = ParseQuoted();
                labels.Add(tmpl.LiteralValue ?? throw Error(tk, "invalid block label: a label cannot contain interpolation or directives"));
                labelSpans.Add(tmpl.Span);
                continue;
            }
            break;
        }
        var open = Peek();
        if (open.Kind != K.LBrace)
            throw Error(open, labels.Count == 0 && open.Kind != K.Newline
                ? $"expected '=' or a block, found {Describe(open)} after '{type.Text}'"
                : $"expected '{{' to open the '{type.Text}' block, found {Describe(open)}");
        _p++;
        HclBody body;
        var after = Peek();
        if (after.Kind == K.Newline)
        {
            body = ParseBody(top: false);
        }
        else if (after.Kind == K.RBrace)
        {
            body = new HclBody { Span = Span(open, after) };
        }
        else
        {
            // Single-line block: exactly one attribute, then '}'.
            if (after.Kind != K.Ident) throw Error(after, $"expected an attribute or a newline after '{{', found {Describe(after)}");
            _p++;
            var inner = Peek();
            if (inner.Kind != K.Assign) throw Error(inner, "a single-line block can only hold one attribute (nested blocks need their own lines)");
            var attr = ParseAttributeRest(after);
            body = new HclBody { Span = attr.Span };
            body.Attributes.Add(attr);
            var close = Peek();
            if (close.Kind != K.RBrace) throw Error(close, "a single-line block can only hold one attribute; put each attribute on its own line");
        }
        var end = Expect(K.RBrace, "'}'");
        Leave();
        return new HclBlock { Type = type.Text, Labels = labels, LabelSpans = labelSpans, Body = body, Span = Span(type, end) };
    }

    // ---- expressions ----

    private HclExpr Expression()
    {
        var start = Peek();
        Enter(start);
        var cond = Binary(0);
        HclExpr result = cond;
        if (Peek().Kind == K.Question)
        {
            _p++;
            var whenTrue = Expression();
            Expect(K.Colon, "':' in the conditional expression");
            var whenFalse = Expression();
            result = new HclConditional { Condition = cond, True = whenTrue, False = whenFalse, Span = Span(cond, whenFalse) };
        }
        Leave();
        return result;
    }

    private static readonly K[][] Levels =
    [
        [K.Or],
        [K.And],
        [K.Equal, K.NotEqual],
        [K.Lt, K.Gt, K.Le, K.Ge],
        [K.Plus, K.Minus],
        [K.Star, K.Slash, K.Percent],
    ];

    private HclExpr Binary(int level)
    {
        if (level == Levels.Length) return Unary();
        var left = Binary(level + 1);
        while (Array.IndexOf(Levels[level], Peek().Kind) >= 0)
        {
            var op = Next();
            var right = Binary(level + 1);
            left = new HclBinary { Operator = op.Text, Left = left, Right = right, Span = Span(left, right) };
        }
        return left;
    }

    private HclExpr Unary()
    {
        var tk = Peek();
        if (tk.Kind is K.Bang or K.Minus)
        {
            _p++;
            Enter(tk);
            var operand = Unary();
            Leave();
            return new HclUnary { Operator = tk.Text, Operand = operand, Span = Span(tk, operand) };
        }
        return Postfix(Term());
    }

    private HclExpr Term()
    {
        var tk = Peek();
        switch (tk.Kind)
        {
            case K.Number:
                _p++;
                return new HclLiteral { Kind = HclLiteralKind.Number, Text = tk.Text, Span = Span(tk, tk) };
            case K.Ident:
            {
                _p++;
                if (tk.Text is "true" or "false") return new HclLiteral { Kind = HclLiteralKind.Bool, Text = tk.Text, Span = Span(tk, tk) };
                if (tk.Text == "null") return new HclLiteral { Kind = HclLiteralKind.Null, Text = "null", Span = Span(tk, tk) };
                var name = tk.Text;
                // Provider-defined functions: provider::aws::arn_parse(...)
                while (Peek().Kind == K.Colon && PeekAt(1).Kind == K.Colon && PeekAt(2).Kind == K.Ident)
                {
                    _p += 2;
                    name += "::" + Next().Text;
                    if (Peek().Kind != K.LParen && Peek().Kind != K.Colon) throw Error(Peek(), "expected '(' after a namespaced function name");
                }
                if (Peek().Kind == K.LParen) return FunctionCall(tk, name);
                return new HclVariable { Name = name, Span = Span(tk, tk) };
            }
            case K.OQuote:
                return ParseQuoted();
            case K.OHeredoc:
                return ParseHeredoc();
            case K.LBrack:
                return TupleOrFor();
            case K.LBrace:
                return ObjectOrFor();
            case K.LParen:
            {
                _p++;
                _ignoreNewlines.Push(true);
                var inner = Expression();
                var close = Expect(K.RParen, "')'");
                _ignoreNewlines.Pop();
                return new HclParens { Inner = inner, Span = Span(tk, close) };
            }
            default:
                throw Error(tk, $"expected an expression, found {Describe(tk)}");
        }
    }

    private HclExpr FunctionCall(HclToken nameTok, string name)
    {
        _p++; // (
        _ignoreNewlines.Push(true);
        var args = new List<HclExpr>();
        var expand = false;
        while (Peek().Kind != K.RParen)
        {
            args.Add(Expression());
            var tk = Peek();
            if (tk.Kind == K.Ellipsis)
            {
                _p++;
                expand = true;
                if (Peek().Kind == K.Comma) _p++;
                if (Peek().Kind != K.RParen) throw Error(Peek(), "'...' may only follow the last argument");
                break;
            }
            if (tk.Kind == K.Comma) { _p++; continue; }
            if (tk.Kind != K.RParen) throw Error(tk, $"expected ',' or ')' in the arguments of {name}(), found {Describe(tk)}");
        }
        var close = Expect(K.RParen, "')'");
        _ignoreNewlines.Pop();
        return new HclFunctionCall { Name = name, Arguments = args, ExpandFinal = expand, Span = Span(nameTok, close) };
    }

    private HclExpr Postfix(HclExpr expr)
    {
        while (true)
        {
            var tk = Peek();
            if (tk.Kind == K.Dot)
            {
                var name = PeekAt(1);
                if (name.Kind == K.Ident)
                {
                    Next(); Next();
                    expr = new HclGetAttr { Source = expr, Name = name.Text, Span = Span(expr, name) };
                    continue;
                }
                if (name.Kind == K.Number)
                {
                    Next(); Next();
                    expr = LegacyIndex(expr, name);
                    continue;
                }
                if (name.Kind == K.Star)
                {
                    Next(); Next();
                    expr = Splat(expr, full: false, name);
                    continue;
                }
                throw Error(name, $"expected an attribute name after '.', found {Describe(name)}");
            }
            if (tk.Kind == K.LBrack)
            {
                if (PeekAt(1).Kind == K.Star && PeekAt(2).Kind == K.RBrack)
                {
                    Next(); Next();
                    var close = Next();
                    expr = Splat(expr, full: true, close);
                    continue;
                }
                _p++;
                _ignoreNewlines.Push(true);
                var key = Expression();
                var end = Expect(K.RBrack, "']'");
                _ignoreNewlines.Pop();
                expr = new HclIndex { Source = expr, Key = key, Span = Span(expr, end) };
                continue;
            }
            return expr;
        }
    }

    private HclExpr LegacyIndex(HclExpr source, HclToken number)
    {
        var pieces = number.Text.Contains('e') || number.Text.Contains('E') ? [number.Text] : number.Text.Split('.');
        foreach (var piece in pieces)
        {
            if (!decimal.TryParse(piece, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n != decimal.Truncate(n) || n < 0)
                throw Error(number, "invalid index after '.': only whole numbers are allowed");
            var part = ((long)n).ToString(CultureInfo.InvariantCulture);
            source = new HclIndex
            {
                Source = source,
                Key = new HclLiteral { Kind = HclLiteralKind.Number, Text = part, Span = Span(number, number) },
                Span = Span(source, number),
            };
        }
        return source;
    }

    private HclExpr Splat(HclExpr source, bool full, HclToken starTok)
    {
        HclExpr each = new HclSplatItem { Span = Span(starTok, starTok) };
        while (true)
        {
            var tk = Peek();
            if (tk.Kind == K.Dot && PeekAt(1).Kind == K.Ident)
            {
                Next();
                var name = Next();
                each = new HclGetAttr { Source = each, Name = name.Text, Span = Span(each, name) };
                continue;
            }
            if (tk.Kind == K.Dot && PeekAt(1).Kind == K.Number)
            {
                Next();
                each = LegacyIndex(each, Next());
                continue;
            }
            if (full && tk.Kind == K.LBrack && !(PeekAt(1).Kind == K.Star && PeekAt(2).Kind == K.RBrack))
            {
                _p++;
                _ignoreNewlines.Push(true);
                var key = Expression();
                var end = Expect(K.RBrack, "']'");
                _ignoreNewlines.Pop();
                each = new HclIndex { Source = each, Key = key, Span = Span(each, end) };
                continue;
            }
            break;
        }
        return new HclSplat { Source = source, Each = each, Full = full, Span = Span(source, Prev) };
    }

    private bool AtForKeyword()
    {
        // As in HCL itself: an opening bracket followed by the keyword 'for' always starts a for expression.
        return Peek().Kind == K.Ident && Peek().Text == "for";
    }

    private HclExpr TupleOrFor()
    {
        var open = Next();
        _ignoreNewlines.Push(true);
        try
        {
            if (AtForKeyword()) return ForExpr(open, isObject: false);
            var items = new List<HclExpr>();
            while (Peek().Kind != K.RBrack)
            {
                items.Add(Expression());
                var tk = Peek();
                if (tk.Kind == K.Comma) { _p++; continue; }
                if (tk.Kind != K.RBrack) throw Error(tk, $"expected ',' or ']' in the list, found {Describe(tk)}");
            }
            var close = Next();
            return new HclTuple { Items = items, Span = Span(open, close) };
        }
        finally { _ignoreNewlines.Pop(); }
    }

    private HclExpr ObjectOrFor()
    {
        var open = Next();
        _ignoreNewlines.Push(true);
        var isFor = AtForKeyword();
        _ignoreNewlines.Pop();
        if (isFor)
        {
            _ignoreNewlines.Push(true);
            try { return ForExpr(open, isObject: true); }
            finally { _ignoreNewlines.Pop(); }
        }
        _ignoreNewlines.Push(false);
        try
        {
            var items = new List<HclObjectItem>();
            while (true)
            {
                SkipNewlines();
                var tk = Peek();
                if (tk.Kind == K.RBrace) break;
                var keyTok = tk;
                var key = Expression();
                var sep = Peek();
                if (sep.Kind is not (K.Assign or K.Colon))
                    throw Error(sep, $"expected '=' or ':' after the object key, found {Describe(sep)}");
                _p++;
                var value = Expression();
                items.Add(new HclObjectItem
                {
                    Key = key,
                    KeyIsIdentifier = key is HclVariable && keyTok.Kind == K.Ident,
                    Value = value,
                });
                var after = Peek();
                if (after.Kind == K.Comma) { _p++; continue; }
                if (after.Kind == K.Newline) continue;
                if (after.Kind == K.RBrace) continue;
                throw Error(after, $"expected ',', a newline or '}}' after the object item, found {Describe(after)}");
            }
            var close = Next();
            return new HclObject { Items = items, Span = Span(open, close) };
        }
        finally { _ignoreNewlines.Pop(); }
    }

    /// <summary>`[key,] value in collection`: the part a for expression and a %{ for } directive share.</summary>
    private (string? KeyVar, string ValueVar, HclExpr Collection) ForHeader()
    {
        var first = Expect(K.Ident, "a variable name after 'for'");
        string? keyVar = null;
        var valueVar = first.Text;
        if (Peek().Kind == K.Comma)
        {
            _p++;
            keyVar = first.Text;
            valueVar = Expect(K.Ident, "a second variable name").Text;
        }
        var inTok = Expect(K.Ident, "'in'");
        if (inTok.Text != "in") throw Error(inTok, $"expected 'in', found '{inTok.Text}'");
        return (keyVar, valueVar, Expression());
    }

    private HclExpr ForExpr(HclToken open, bool isObject)
    {
        Next(); // for
        var (keyVar, valueVar, coll) = ForHeader();
        Expect(K.Colon, "':' after the for collection");
        HclExpr? keyExpr = null;
        var valueExpr = Expression();
        if (isObject)
        {
            Expect(K.FatArrow, "'=>' in the object for expression");
            keyExpr = valueExpr;
            valueExpr = Expression();
        }
        var grouping = false;
        if (Peek().Kind == K.Ellipsis)
        {
            if (!isObject) throw Error(Peek(), "grouping '...' is only allowed in an object for expression");
            _p++;
            grouping = true;
        }
        HclExpr? cond = null;
        if (Peek().Kind == K.Ident && Peek().Text == "if")
        {
            _p++;
            cond = Expression();
        }
        var close = Expect(isObject ? K.RBrace : K.RBrack, isObject ? "'}' to close the for expression" : "']' to close the for expression");
        return new HclFor
        {
            KeyVar = keyVar, ValueVar = valueVar, Collection = coll, KeyExpr = keyExpr, ValueExpr = valueExpr,
            Condition = cond, Grouping = grouping, Span = Span(open, close),
        };
    }

    // ---- templates ----

    private HclTemplate ParseQuoted()
    {
        var open = Expect(K.OQuote, "'\"'");
        _ignoreNewlines.Push(false);
        var (parts, kw, kwTok) = TemplateParts(K.CQuote, heredoc: false);
        if (kw != null) throw Error(kwTok, $"unexpected %{{ {kw} }} without a matching opening directive");
        var close = Expect(K.CQuote, "'\"'");
        _ignoreNewlines.Pop();
        _stripNextLiteral = false;
        return new HclTemplate { Parts = parts, Span = Span(open, close) };
    }

    private HclTemplate ParseHeredoc()
    {
        var open = Next();
        _ignoreNewlines.Push(false);
        var (parts, kw, kwTok) = TemplateParts(K.CHeredoc, heredoc: true);
        if (kw != null) throw Error(kwTok, $"unexpected %{{ {kw} }} without a matching opening directive");
        var close = Expect(K.CHeredoc, $"the closing '{open.Text}' marker");
        _ignoreNewlines.Pop();
        _stripNextLiteral = false;
        if (open.Flush) Flush(parts);
        return new HclTemplate { Parts = parts, IsHeredoc = true, Span = Span(open, close) };
    }

    private static void Flush(List<HclTemplatePart> parts)
    {
        var lineStarts = new List<HclTemplateLiteral>();
        Collect(parts, lineStarts);
        var min = int.MaxValue;
        foreach (var lit in lineStarts)
        {
            var text = lit.Text;
            var ws = 0;
            while (ws < text.Length && text[ws] is ' ' or '\t') ws++;
            var blank = ws == text.Length || text[ws] is '\n' or '\r';
            if (blank && text.EndsWith('\n')) continue; // whitespace-only lines do not count
            min = Math.Min(min, ws);
        }
        if (min is int.MaxValue or 0) return;
        foreach (var lit in lineStarts)
        {
            var ws = 0;
            while (ws < lit.Text.Length && ws < min && lit.Text[ws] is ' ' or '\t') ws++;
            lit.Text = lit.Text[ws..];
        }

        static void Collect(IEnumerable<HclTemplatePart> parts, List<HclTemplateLiteral> into)
        {
            foreach (var p in parts)
            {
                switch (p)
                {
                    case HclTemplateLiteral { AtLineStart: true } l: into.Add(l); break;
                    case HclTemplateIf i: Collect(i.Then, into); Collect(i.Else, into); break;
                    case HclTemplateFor f: Collect(f.Body, into); break;
                }
            }
        }
    }

    private (List<HclTemplatePart> Parts, string? Keyword, HclToken KeywordToken) TemplateParts(K close, bool heredoc)
    {
        var parts = new List<HclTemplatePart>();
        while (true)
        {
            var tk = _t[_p];
            switch (tk.Kind)
            {
                case K.Literal:
                {
                    _p++;
                    var text = heredoc ? DecodeHeredoc(tk.Text) : DecodeQuoted(tk);
                    if (_stripNextLiteral) { text = text.TrimStart(); _stripNextLiteral = false; }
                    parts.Add(new HclTemplateLiteral { Text = text, AtLineStart = tk.AtLineStart, Span = Span(tk, tk) });
                    break;
                }
                case K.TemplateInterp:
                {
                    _p++;
                    Enter(tk);
                    StripLeft(parts);
                    _ignoreNewlines.Push(true);
                    var expr = Expression();
                    var end = CloseSequence();
                    _ignoreNewlines.Pop();
                    Leave();
                    parts.Add(new HclTemplateInterpolation { Expression = expr, Span = Span(tk, end) });
                    break;
                }
                case K.TemplateControl:
                {
                    _p++;
                    Enter(tk);
                    StripLeft(parts);
                    _ignoreNewlines.Push(true);
                    var kw = Expect(K.Ident, "a template directive (if, else, endif, for, endfor)");
                    switch (kw.Text)
                    {
                        case "if":
                        {
                            var cond = Expression();
                            CloseSequence();
                            _ignoreNewlines.Pop();
                            var (thenParts, k1, k1Tok) = TemplateParts(close, heredoc);
                            List<HclTemplatePart> elseParts = new();
                            if (k1 == "else")
                            {
                                var (ep, k2, k2Tok) = TemplateParts(close, heredoc);
                                elseParts = ep;
                                k1 = k2;
                                k1Tok = k2Tok;
                            }
                            if (k1 != "endif") throw Error(k1 == null ? _t[_p] : k1Tok, "%{ if } without a matching %{ endif }");
                            parts.Add(new HclTemplateIf { Condition = cond, Then = thenParts, Else = elseParts, Span = Span(tk, Prev) });
                            break;
                        }
                        case "for":
                        {
                            var (keyVar, valueVar, coll) = ForHeader();
                            CloseSequence();
                            _ignoreNewlines.Pop();
                            var (body, k, kTok) = TemplateParts(close, heredoc);
                            if (k != "endfor") throw Error(k == null ? _t[_p] : kTok, "%{ for } without a matching %{ endfor }");
                            parts.Add(new HclTemplateFor { KeyVar = keyVar, ValueVar = valueVar, Collection = coll, Body = body, Span = Span(tk, Prev) });
                            break;
                        }
                        case "else" or "endif" or "endfor":
                            CloseSequence();
                            _ignoreNewlines.Pop();
                            Leave();
                            return (parts, kw.Text, kw);
                        default:
                            throw Error(kw, $"unknown template directive '{kw.Text}' (expected if, else, endif, for or endfor)");
                    }
                    Leave();
                    break;
                }
                default:
                    if (tk.Kind == close) return (parts, null, tk);
                    throw Error(tk, $"unexpected {Describe(tk)} in a string template");
            }
        }
    }

    /// <summary>Handle <c>${~</c> / <c>%{~</c>: strip trailing whitespace from the preceding literal.</summary>
    private void StripLeft(List<HclTemplatePart> parts)
    {
        if (_t[_p].Kind != K.Tilde) return;
        _p++;
        if (parts.Count > 0 && parts[^1] is HclTemplateLiteral lit) lit.Text = lit.Text.TrimEnd();
    }

    /// <summary>The closing '}' of an interpolation or directive, with an optional '~' strip marker.</summary>
    private HclToken CloseSequence()
    {
        if (Peek().Kind == K.Tilde)
        {
            _p++;
            _stripNextLiteral = true;
        }
        return Expect(K.TemplateSeqEnd, "'}' to close the template sequence");
    }

    private static string DecodeHeredoc(string raw) => raw.Contains("{") ? raw.Replace("$${", "${").Replace("%%{", "%{") : raw;

    private string DecodeQuoted(HclToken tk)
    {
        var raw = tk.Text;
        if (raw.IndexOf('\\') < 0 && raw.IndexOf("{", StringComparison.Ordinal) < 0) return raw;
        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if ((c == '$' || c == '%') && i + 2 < raw.Length && raw[i + 1] == c && raw[i + 2] == '{')
            {
                sb.Append(c).Append('{');
                i += 2;
                continue;
            }
            if (c != '\\') { sb.Append(c); continue; }
            if (i + 1 >= raw.Length) throw new HclParseException("invalid escape at the end of the string", _file, tk.Line, tk.Column + i);
            var e = raw[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case 'u' or 'U':
                {
                    var len = e == 'u' ? 4 : 8;
                    var hex = raw.Substring(i + 1, Math.Min(len, raw.Length - i - 1));
                    if (hex.Length != len || !int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                        throw new HclParseException($"invalid unicode escape \\{e}{hex}", _file, tk.Line, tk.Column + i - 1);
                    sb.Append(char.ConvertFromUtf32(cp));
                    i += len;
                    break;
                }
                default:
                    throw new HclParseException($"invalid escape sequence \\{e} (allowed: \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN)", _file, tk.Line, tk.Column + i - 1);
            }
        }
        return sb.ToString();
    }
}
