using System.Text.Json;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Rules;

namespace Groundcrew.Report;

/// <summary>
/// SARIF 2.1.0, the format GitHub code scanning and most CI dashboards import. Artifact URIs are relative to the
/// working directory when the scanned root lies inside it (GitHub matches URIs against the repository root, which is
/// the working directory in Actions, so `check deploy/` must still say `deploy/k8s/app.yaml`), else to the scanned
/// root; either is declared as the SRCROOT base. Written by hand (Sarif.Sdk is not available) and validated
/// against the official schema in the tests. Each rule carries its docs page as help.markdown, its tags and, for a
/// security rule, security-severity (Data/sarif-rules.yaml); helpUri and informationUri only when the build was
/// given real addresses (<see cref="RuleDocs"/>).
/// </summary>
public sealed partial class SarifReporter : IReporter
{
    public string Name => "sarif";

    /// <summary>The partialFingerprints key; the suffix changes whenever the way it is computed changes.</summary>
    public const string FingerprintKey = "groundcrew/v2";

    private readonly RuleDocs _docs;

    public SarifReporter() : this(RuleDocs.Built) { }

    public SarifReporter(RuleDocs docs) => _docs = docs;

    public void Write(CheckResult result, TextWriter output, ReportSettings settings)
    {
        var scrub = result.Redactor.Scrub;
        var (baseDir, prefix) = UriBase(result.Root);
        var ruleIds = RuleRegistry.Rules.Select(r => r.Id).Concat(result.Findings.Select(f => f.RuleId)).Distinct().ToList();
        var index = ruleIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var fingerprints = Fingerprints(result);
        var rootUri = new Uri(baseDir.EndsWith('/') ? baseDir : baseDir + "/").AbsoluteUri;

        // Written as it goes (no JSON DOM), in the order the DOM writer laid the properties out.
        using var text = new JsonTextOutput(output);
        var w = text.Json;
        w.WriteStartObject();
        w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "groundcrew");
        w.WriteString("version", settings.ToolVersion);
        w.WriteStartArray("rules");
        foreach (var id in ruleIds)
        {
            WriteRule(w, id);
            text.Drain();
        }
        w.WriteEndArray();
        if (_docs.ProjectUrl is { } home) w.WriteString("informationUri", home);
        w.WriteEndObject(); // driver
        w.WriteEndObject(); // tool
        w.WriteStartObject("originalUriBaseIds");
        w.WriteStartObject("SRCROOT");
        w.WriteString("uri", rootUri);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("results");
        foreach (var f in result.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.RuleId);
            w.WriteNumber("ruleIndex", index[f.RuleId]);
            w.WriteString("level", f.Severity.ToText());
            w.WriteStartObject("message");
            w.WriteString("text", scrub(f.Message + (f.Fix != null ? $" Fix: {f.Fix}" : "")));
            w.WriteEndObject();
            w.WriteStartArray("locations");
            WriteLocation(w, f.Span, null, scrub, result.Model.BaseRevision, prefix);
            w.WriteEndArray();
            w.WriteStartObject("partialFingerprints");
            w.WriteString(FingerprintKey, fingerprints[f]);
            w.WriteEndObject();
            if (f.Related is { Count: > 0 })
            {
                w.WriteStartArray("relatedLocations");
                for (var i = 0; i < f.Related.Count; i++) WriteLocation(w, f.Related[i].Span, f.Related[i].Message, scrub, result.Model.BaseRevision, prefix, i + 1);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            text.Drain();
        }
        w.WriteEndArray(); // results
        w.WriteEndObject(); // the run
        w.WriteEndArray(); // runs
        w.WriteEndObject();
    }

    private void WriteRule(Utf8JsonWriter w, string id)
    {
        var rule = RuleRegistry.Find(id);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("name", rule?.GetType().Name ?? id);
        w.WriteStartObject("shortDescription");
        w.WriteString("text", rule?.Title ?? id);
        w.WriteEndObject();
        if (_docs.Url(id) is { } helpUri) w.WriteString("helpUri", helpUri);
        if (rule != null)
        {
            w.WriteStartObject("fullDescription");
            w.WriteString("text", $"Prevents: {rule.Prevents}");
            w.WriteEndObject();
            w.WriteStartObject("help");
            w.WriteString("text", $"{rule.Fix} Docs: groundcrew rules {id}");
            if (RuleDocs.Page(id) is { } page) w.WriteString("markdown", page);
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", rule.DefaultSeverity.ToText());
            w.WriteEndObject();
        }
        var fact = SarifRuleFacts.For(id);
        w.WriteStartObject("properties");
        w.WriteStartArray("tags");
        foreach (var tag in fact.Tags) w.WriteStringValue(tag);
        w.WriteEndArray();
        // GitHub reads the score as a string ("8.0"), as its own examples write it.
        if (fact.SecuritySeverity is { } score) w.WriteString("security-severity", score.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The SRCROOT folder and the path of the scanned root inside it ("" or "deploy/").</summary>
    internal static (string BaseDir, string Prefix) UriBase(string root)
    {
        var full = Path.GetFullPath(root);
        var cwd = Path.GetFullPath(Environment.CurrentDirectory);
        var inside = Path.GetRelativePath(cwd, full).Replace('\\', '/');
        if (inside == ".") return (cwd, "");
        if (inside.StartsWith("../", StringComparison.Ordinal) || inside == ".." || Path.IsPathRooted(inside)) return (full, "");
        return (cwd, inside.TrimEnd('/') + "/");
    }

    private static void WriteLocation(Utf8JsonWriter w, SourceSpan span, string? message, Func<string?, string> scrub, string? baseRevision, string prefix, int id = 0)
    {
        // "file@REV" names a file as it was at a git revision (--base); SARIF wants a real artifact,
        // so point at the file and say which revision in the message.
        var at = baseRevision is { Length: > 0 } rev && span.File.EndsWith("@" + rev, StringComparison.Ordinal)
            ? span.File.Length - rev.Length - 1 : -1;
        if (at > 0)
        {
            message = $"{message} (as of revision {span.File[(at + 1)..]})";
            span = span with { File = span.File[..at] };
        }
        w.WriteStartObject();
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        w.WriteString("uri", Uri.EscapeDataString(span.File.StartsWith('<') ? span.File : prefix + span.File).Replace("%2F", "/"));
        w.WriteString("uriBaseId", "SRCROOT");
        w.WriteEndObject();
        w.WriteStartObject("region");
        w.WriteNumber("startLine", Math.Max(1, span.StartLine));
        w.WriteNumber("startColumn", Math.Max(1, span.StartColumn));
        if (span.EndLine >= span.StartLine && span.EndLine > 0)
        {
            w.WriteNumber("endLine", span.EndLine);
            if (span.EndColumn > 0 && (span.EndLine > span.StartLine || span.EndColumn > span.StartColumn)) w.WriteNumber("endColumn", span.EndColumn);
        }
        w.WriteEndObject(); // region
        w.WriteEndObject(); // physicalLocation
        if (id > 0) w.WriteNumber("id", id);
        if (message != null)
        {
            w.WriteStartObject("message");
            w.WriteString("text", scrub(message));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// A fingerprint per finding that survives edits elsewhere in the file: it hashes the rule, the file, the message with
    /// its line numbers taken out, and the redacted text of the flagged line (never a line number), plus which occurrence
    /// of that same combination it is. Redacted first: a hash of a line holding a short password could be brute-forced.
    /// </summary>
    internal static Dictionary<Finding, string> Fingerprints(CheckResult result)
    {
        var lines = new Dictionary<string, FileLines?>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var prints = new Dictionary<Finding, string>(ReferenceEqualityComparer.Instance);
        // The hash of UTF-8("{key}\n{occurrence}"), fed in two parts through one reused buffer and hasher.
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var utf8 = new byte[4096];
        Span<byte> hash = stackalloc byte[32];
        foreach (var f in result.Findings)
        {
            var text = LineText(result, f.Span, lines) is { } t ? result.Redactor.Scrub(t).Trim() : "";
            var key = $"{f.RuleId}\n{f.Span.File}\n{WithoutLineNumbers(result.Redactor.Scrub(f.Message))}\n{text}";
            var n = seen[key] = seen.TryGetValue(key, out var before) ? before + 1 : 0;
            if (utf8.Length < System.Text.Encoding.UTF8.GetMaxByteCount(key.Length)) utf8 = new byte[System.Text.Encoding.UTF8.GetMaxByteCount(key.Length)];
            sha.AppendData(utf8, 0, System.Text.Encoding.UTF8.GetBytes(key.AsSpan(), utf8));
            sha.AppendData(utf8, 0, System.Text.Encoding.UTF8.GetBytes($"\n{n}".AsSpan(), utf8));
            sha.GetHashAndReset(hash);
            prints[f] = Convert.ToHexStringLower(hash[..16]);
        }
        return prints;
    }

    // "file.ts:12", "(line 12)", "lines 3-5": positions that move when lines are added above.
    private static string WithoutLineNumbers(string message) => LineNumber().Replace(message, m => m.Groups["pre"].Value + "#");

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<pre>:|\blines? )\d+(?:[-:]\d+)?")]
    private static partial System.Text.RegularExpressions.Regex LineNumber();

    private static string? LineText(CheckResult result, SourceSpan span, Dictionary<string, FileLines?> cache)
    {
        if (span.File.StartsWith('<') || span.StartLine < 1) return null;
        if (!cache.TryGetValue(span.File, out var lines)) cache[span.File] = lines = FileLines.Read(result.Root, span.File);
        return lines?.Line(span.StartLine);
    }
}
