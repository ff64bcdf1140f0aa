using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Groundcrew.Core;

/// <summary>
/// Keeps secret values out of every output: the one redaction step that every reporter of every verb passes its
/// text through. Two layers:
/// <list type="bullet">
/// <item>exact values known to be secret in this run (a repository's Secret data and stringData, sensitive Terraform
/// values, credential-named env values, values a rule or a flow file declared secret), masked in their plain,
/// base64, JSON-escaped and XML-escaped forms, because outputs quote files (base64 Secret data) and serialize;</item>
/// <item>text that is secret on sight (<see cref="ScrubPatterns"/>): passwords in URIs, private keys, well-known token
/// formats, JWTs, bearer and basic credentials, and values assigned to credential-named keys
/// (<c>DB_PASSWORD=...</c>, <c>"apiKey": "..."</c>, <c>--password ...</c>).</item>
/// </list>
/// Every pattern is linear in its input (no backtracking), so scrubbing never times out whatever the text.
/// </summary>
public sealed partial class Redactor
{
    public const string Mask = "****";

    /// <summary>Values shorter than this are not registered: masking "db" or "1" everywhere would wreck the output.</summary>
    private const int MinKnownLength = 4;

    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    // The known values in masking order and their index, rebuilt on the first read after a change: a repository with
    // thousands of Secrets registers tens of thousands of forms, and sorting after each one was quadratic.
    private volatile KnownIndex? _index = KnownIndex.Empty;

    /// <summary>Whether any exact value is registered (a run that knows nothing can skip the value pass).</summary>
    public bool KnowsValues => Index.Ordered.Length > 0;

    private KnownIndex Index
    {
        get
        {
            if (_index is { } index) return index;
            lock (_gate) return _index ??= new KnownIndex(_known.OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).ToArray());
        }
    }

    /// <summary>Register a value that must never be printed, with its encoded forms (ignored when too short to be meaningful).</summary>
    public void Add(string? value)
    {
        if (!IsMaskable(value)) return;
        lock (_gate)
        {
            var added = false;
            foreach (var form in Forms(value!))
                if (form.Length >= MinKnownLength) added |= _known.Add(form);
            if (added) _index = null;
        }
    }

    /// <summary>The registered values and their forms (to hand them to another verb's redactor in the same process).</summary>
    public IReadOnlyList<string> KnownValues => Index.Ordered;

    /// <summary>Register a value as it is written in a file in base64 (a Secret's data) and its decoded text.</summary>
    public void AddBase64(string encoded, string? decoded)
    {
        Add(decoded);
        if (decoded != null && IsMaskable(decoded)) Add(encoded.Trim());
    }

    // Numbers and booleans would mask line numbers and JSON literals; publicly known defaults are not secrets.
    private static bool IsMaskable(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().Length >= MinKnownLength && !value.All(ch => char.IsDigit(ch) || ch is '.' or '-')
        && value is not ("true" or "false" or "null") && !SecretNames.IsPublicDefault(value.Trim());

    /// <summary>The ways a value shows up in output: itself, base64 (padded, unpadded, URL-safe), JSON- and XML-escaped.</summary>
    private static IEnumerable<string> Forms(string value)
    {
        yield return value;
        if (value.Trim() != value) yield return value.Trim();
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        yield return b64;
        yield return b64.TrimEnd('=');
        yield return b64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        yield return JsonValues.EscapeLikeJsonNet(value); // the writers still on Json.NET (Live)
        yield return System.Text.Json.JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        yield return System.Security.SecurityElement.Escape(value);
    }

    /// <summary>Mask known values first (they may sit inside text no pattern recognises), then secret-looking text.</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        return ScrubPatterns(ScrubKnown(text));
    }

    /// <summary>Only the exact known values (cheap enough for whole inputs: one substring search per value).</summary>
    public string ScrubKnown(string text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = text;
        foreach (var value in Index.Candidates(text))
            if (result.Contains(value, StringComparison.Ordinal))
                result = result.Replace(value, Mask, StringComparison.Ordinal);
        return result;
    }

    /// <summary>
    /// The known values, longest first, and which of them can occur in a text: every value is at least
    /// <see cref="MinKnownLength"/> characters, so one whose first four characters do not occur in the text cannot occur
    /// in it, unless an earlier mask helps form it, which needs a '*' among those four (such values are always tried).
    /// Candidates come in the masking order, so the result is the same as trying every value, at a cost that grows with
    /// the text instead of with the number of values.
    /// </summary>
    private sealed class KnownIndex
    {
        public static readonly KnownIndex Empty = new([]);

        // Below this many values the plain loop over all of them is as cheap as looking prefixes up.
        private const int IndexFrom = 32;

        public string[] Ordered { get; }
        private readonly Dictionary<string, List<int>> _byPrefix = new(StringComparer.Ordinal);
        private readonly List<int> _maskLike = new();

        public KnownIndex(string[] ordered)
        {
            Ordered = ordered;
            if (ordered.Length < IndexFrom) return;
            for (var i = 0; i < ordered.Length; i++)
            {
                var prefix = ordered[i][..MinKnownLength];
                if (prefix.Contains(Mask[0])) _maskLike.Add(i);
                else if (_byPrefix.TryGetValue(prefix, out var list)) list.Add(i);
                else _byPrefix[prefix] = [i];
            }
        }

        public IEnumerable<string> Candidates(string text)
        {
            if (Ordered.Length < IndexFrom) return Ordered;
            var lookup = _byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
            List<int>? found = null;
            for (var i = 0; i + MinKnownLength <= text.Length; i++)
                if (lookup.TryGetValue(text.AsSpan(i, MinKnownLength), out var list)) (found ??= []).AddRange(list);
            if (found == null && _maskLike.Count == 0) return [];
            var all = new SortedSet<int>(_maskLike);
            if (found != null) all.UnionWith(found);
            return all.Select(i => Ordered[i]);
        }
    }

    /// <summary>Pattern-only scrubbing, for places without a run-time redactor.</summary>
    public static string ScrubPatterns(string text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // Each pattern needs a literal that ordinary text seldom holds; a vectorised search for it first skips the pattern
        // on most texts (every report scrubs every message, fix and quoted line). Each test is a necessary condition of
        // its pattern, so the result is the one the pattern alone gives. The case-insensitive tests are made only on
        // ASCII text: (?i) also matches a few non-ASCII letters (the Kelvin sign as k), which OrdinalIgnoreCase does not.
        if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            text = PrivateKey.Replace(text, m => m.Groups["head"].Value + Mask);
        if (text.Contains("://", StringComparison.Ordinal))
            text = UriPassword.Replace(text, m => m.Groups["pre"].Value + Mask + "@");
        if (MayHold(text, AwsSecretKeys))
            text = AwsSecretAssignment.Replace(text, m => m.Groups["pre"].Value + Mask);
        if (text.AsSpan().ContainsAny(TokenPrefixes))
            text = KnownToken.Replace(text, m => m.Value[..Math.Min(4, m.Value.Length)] + Mask);
        if (MayHold(text, HeaderWords))
            text = HeaderCredential.Replace(text, m => m.Groups["pre"].Value + Mask);
        // A key is followed by ':' or '=', or a flag starts with '-'.
        if (text.AsSpan().ContainsAny(":=-"))
            text = SecretAssignments(text);
        return text;
    }

    private static bool MayHold(string text, SearchValues<string> words) => !Ascii.IsValid(text) || text.AsSpan().ContainsAny(words);

    // The literals each pattern below starts with (or, for the (?i) ones, must contain).
    private static readonly SearchValues<string> AwsSecretKeys =
        SearchValues.Create(["secret_access_key", "secretaccesskey", "session_token", "sessiontoken"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> HeaderWords = SearchValues.Create(["authorization", "bearer"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> TokenPrefixes = SearchValues.Create(
        ["AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "_live_", "sk-", "AIza", "npm_", "glpat-", "eyJ"], StringComparison.Ordinal);

    /// <summary>A short, safe description of a secret value: its length and nothing else.</summary>
    public static string Describe(string value) => $"<redacted, {value.Length} characters>";

    /// <summary>
    /// <c>KEY=value</c>, <c>KEY: value</c>, <c>"key": "value"</c> and <c>--key value</c> where the key names a credential
    /// (<see cref="SecretNames.IsSecretName"/>): the value is masked to the end of its token. The regex only finds a
    /// candidate key and its separator (bounded lengths); the decision and the value's extent are plain code, and a
    /// candidate that is not a secret resumes the search right after its key, so the whole pass stays linear.
    /// </summary>
    private static string SecretAssignments(string text)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var at = 0;
        var ascii = Ascii.IsValid(text);
        while (at < text.Length)
        {
            if ((ascii ? NextAssignmentKey(text, at) : NextAssignmentKeyByRegex(text, at)) is not { } m) break;
            var valueStart = m.Index + m.Length;
            // A key inside an ARN or a path (`:secret:db-AbCdEf`, `/token/`) is evidence, not an assignment.
            var glued = m.KeyIndex > 0 && text[m.KeyIndex - 1] is ':' or '/' or '\\' or '.' or '@';
            // A flag starts a word (`--password x`); `x-api-key header` is prose.
            var loneFlag = m.Flag && m.Index > 0 && !char.IsWhiteSpace(text[m.Index - 1]) && text[m.Index - 1] is not ('"' or '\'');
            // The value's extent is measured only for a credential key: measuring every candidate's would be quadratic (`a:b:c:...`).
            var valueEnd = glued || loneFlag || (!m.Flag && m.SepLength == 0) || !SecretNames.IsSecretName(text.Substring(m.KeyIndex, m.KeyLength))
                ? -1 : ValueEnd(text, valueStart, m.Quote);
            if (valueEnd < 0 || !SecretNames.LooksLikeSecretValue(text[valueStart..Math.Min(valueEnd, valueStart + 256)]))
            {
                at = m.KeyIndex + Math.Max(1, m.KeyLength);
                continue;
            }
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copied, valueStart - copied).Append(Mask);
            copied = valueEnd;
            at = Math.Max(valueEnd, at + 1);
        }
        if (sb == null) return text;
        sb.Append(text, copied, text.Length - copied);
        return sb.ToString();
    }

    /// <summary>Where a value that starts at <paramref name="start"/> ends: its closing quote, else the first blank or delimiter.</summary>
    private static int ValueEnd(string text, int start, char quote)
    {
        var i = start;
        if (quote != '\0')
        {
            while (i < text.Length && text[i] != quote && text[i] != '\n' && !(text[i] == '\\' && i + 1 < text.Length && text[i + 1] == quote)) i++;
            return i;
        }
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('"' or '\'' or ',' or ';' or '&' or '<' or '>' or '{' or '}' or '[' or ']' or '`')) i++;
        return i;
    }

    /// <summary>
    /// A candidate key and what separates it from its value (<see cref="AssignmentKeyQuick"/>'s match): where the match
    /// starts and how long it is, the key, whether it is a flag, the length of a key's separator and the value's opening quote.
    /// </summary>
    internal readonly record struct AssignmentKeyMatch(int Index, int Length, int KeyIndex, int KeyLength, bool Flag, int SepLength, char Quote);

    /// <summary>
    /// The first match of <see cref="AssignmentKeyQuick"/> at or after <paramref name="at"/> in ASCII text, found by plain
    /// code: the regex tried every letter of every word, backtracking over the word each time, and built a Match per
    /// candidate (most of the SARIF writer's time on a repository with thousands of findings). The regex's loops can only
    /// end where the run of key characters ends (a separator is never a key character), so a start either matches with the
    /// whole run as its key or not at all; the runs are measured once each. Only for ASCII text, where <c>\w</c> is
    /// <c>[A-Za-z0-9_]</c>; other text goes through the regex (<see cref="NextAssignmentKeyByRegex"/>).
    /// </summary>
    internal static AssignmentKeyMatch? NextAssignmentKey(string text, int at)
    {
        var keyRunEnd = -1; // end of the run of [\w.-] characters the current start is in, once measured
        var flagRunEnd = -1; // the same for a flag's key, a run of [\w-] characters
        for (var s = at; s < text.Length; s++)
        {
            var c = text[s];
            if (c == '-')
            {
                // (?<flag>--?)(?<key>[A-Za-z][\w-]{0,63})(?:=|[ \t]{1,4})
                var k = s + 1 < text.Length && text[s + 1] == '-' ? s + 2 : s + 1;
                if (k >= text.Length || !char.IsAsciiLetter(text[k])) continue;
                if (k >= flagRunEnd) flagRunEnd = RunEnd(text, k, dots: false);
                if (flagRunEnd - k > 64) continue;
                var after = flagRunEnd;
                if (after < text.Length && text[after] == '=') after++;
                else
                {
                    var blanks = Blanks(text, after);
                    if (blanks == 0) continue;
                    after += blanks;
                }
                return new AssignmentKeyMatch(s, after - s + QuoteAt(text, after, out var q), k, flagRunEnd - k, Flag: true, SepLength: 0, q);
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                // (?<key>[A-Za-z_][\w.-]{0,79})["']?(?<sep>[ \t]{0,4}[:=][ \t]{0,4})
                if (s >= keyRunEnd) keyRunEnd = RunEnd(text, s, dots: true);
                if (keyRunEnd - s > 80) continue;
                var sepStart = keyRunEnd < text.Length && text[keyRunEnd] is '"' or '\'' ? keyRunEnd + 1 : keyRunEnd;
                var i = sepStart + Blanks(text, sepStart);
                if (i >= text.Length || text[i] is not (':' or '=')) continue;
                i++;
                i += Blanks(text, i);
                return new AssignmentKeyMatch(s, i - s + QuoteAt(text, i, out var q), s, keyRunEnd - s, Flag: false, SepLength: i - sepStart, q);
            }
        }
        return null;

        static int RunEnd(string text, int i, bool dots)
        {
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-' || (dots && text[i] == '.'))) i++;
            return i;
        }

        // [ \t]{0,4}, greedy.
        static int Blanks(string text, int i)
        {
            var n = 0;
            while (n < 4 && i + n < text.Length && text[i + n] is ' ' or '\t') n++;
            return n;
        }

        // (?<q>["']?)
        static int QuoteAt(string text, int i, out char quote)
        {
            quote = i < text.Length && text[i] is '"' or '\'' ? text[i] : '\0';
            return quote == '\0' ? 0 : 1;
        }
    }

    /// <summary>The same as <see cref="NextAssignmentKey"/> through the regex itself (text that is not ASCII, and the tests' reference).</summary>
    internal static AssignmentKeyMatch? NextAssignmentKeyByRegex(string text, int at)
    {
        var m = AssignmentKey.Match(text, at);
        if (!m.Success) return null;
        var key = m.Groups["key"];
        var quote = m.Groups["q"].Success && m.Groups["q"].Length > 0 ? m.Groups["q"].Value[0] : '\0';
        return new AssignmentKeyMatch(m.Index, m.Length, key.Index, key.Length, m.Groups["flag"].Success, m.Groups["sep"].Length, quote);
    }

    // A candidate key and what separates it from its value. `--name value` (a command-line flag) or `name = value`,
    // `name: value`, `"name": "value"`; the opening quote of the value is captured so the value runs to the matching one.
    private static readonly SafeRegex AssignmentKey = new(AssignmentKeyQuick());
    [GeneratedRegex(@"(?:(?<flag>--?)(?<key>[A-Za-z][\w-]{0,63})(?:=|[ \t]{1,4})|(?<key>[A-Za-z_][\w.-]{0,79})[""']?(?<sep>[ \t]{0,4}[:=][ \t]{0,4}))(?<q>[""']?)", RegexOptions.CultureInvariant, Limits.QuickRegexBudgetMs)]
    private static partial Regex AssignmentKeyQuick();

    // scheme://user:password@host -> scheme://user:****@host
    private static readonly SafeRegex UriPassword = new(UriPasswordQuick());
    [GeneratedRegex(@"(?<pre>[a-zA-Z][a-zA-Z0-9+.-]{0,31}://[^:/@\s""']{0,256}:)(?<pw>[^@\s""'/]{1,512})@", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex UriPasswordQuick();

    // -----BEGIN RSA PRIVATE KEY----- MII... : everything after the header up to the END line (or the end of the text) goes.
    private static readonly SafeRegex PrivateKey = new(PrivateKeyQuick());
    [GeneratedRegex(@"(?<head>-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----)[A-Za-z0-9+/=\s\\n]*(?:-----END [A-Z ]{0,20}PRIVATE KEY-----)?", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex PrivateKeyQuick();

    // aws_secret_access_key = xxx, AWS_SECRET_ACCESS_KEY: xxx, "SecretAccessKey": "xxx"
    private static readonly SafeRegex AwsSecretAssignment = new(AwsSecretAssignmentQuick());
    [GeneratedRegex(@"(?<pre>(?i:aws_secret_access_key|secretaccesskey|aws_session_token|sessiontoken)[""']?\s{0,4}[:=]\s{0,4}[""']?)[A-Za-z0-9/+=]{16,}", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex AwsSecretAssignmentQuick();

    // AKIA/ASIA access keys, GitHub, Slack, Stripe, OpenAI/Anthropic-style, Google API keys, npm tokens, JWTs.
    private static readonly SafeRegex KnownToken = new(KnownTokenQuick());
    [GeneratedRegex(@"\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:sk|rk)_live_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36}|glpat-[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex KnownTokenQuick();

    // Authorization: Bearer xxx / Basic xxx / Token xxx, and a bare "bearer xxx".
    private static readonly SafeRegex HeaderCredential = new(HeaderCredentialQuick());
    [GeneratedRegex(@"(?<pre>(?i:authorization[""']?\s{0,4}[:=]\s{0,4}[""']?(?:bearer|basic|token|digest)?[ \t]{0,4}|bearer[ \t]{1,4}))[A-Za-z0-9._~+/=-]{8,}", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex HeaderCredentialQuick();
}
