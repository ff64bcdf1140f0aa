using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Diagnose.Signatures;

/// <summary>
/// The signature base: every known failure, loaded from the YAML files embedded under
/// Data/signatures. Public so other verbs (the `rules` listing) can show, for each check rule,
/// the failures it prevents.
/// </summary>
public sealed class SignatureBase
{
    // The csproj names embedded data "Groundcrew.Data." + the folder path (with '/') + file name.
    private static readonly string[] ResourcePrefixes = ["Groundcrew.Data.signatures/", "Groundcrew.Data.signatures\\", "Groundcrew.Data.signatures."];

    // Patterns run over whole logs; a bound keeps one bad pattern from hanging a run.
    internal static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(5);

    private static readonly Lazy<SignatureBase> Embedded = new(() => Parse(ReadEmbedded()));

    public IReadOnlyList<Signature> Signatures { get; }

    private SignatureBase(IReadOnlyList<Signature> signatures) => Signatures = signatures;

    /// <summary>The signature base shipped inside the library.</summary>
    public static SignatureBase Load() => Embedded.Value;

    public Signature? Find(string id) => Signatures.FirstOrDefault(s => s.Id == id);

    /// <summary>The signatures a check rule would have prevented: the reverse of <see cref="Signature.PreventedBy"/>.</summary>
    public IReadOnlyList<Signature> PreventedByRule(string ruleId) =>
        Signatures.Where(s => s.PreventedBy.Contains(ruleId) || s.Hypotheses.Any(h => h.PreventedBy.Contains(ruleId))).ToList();

    /// <summary>Every rule id any signature names, each with the signatures it prevents.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Signature>> ByRule() =>
        Signatures.SelectMany(s => s.PreventedBy.Concat(s.Hypotheses.SelectMany(h => h.PreventedBy)).Distinct().Select(r => (r, s)))
            .GroupBy(p => p.r, p => p.s)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Signature>)g.ToList());

    /// <summary>Parse signature files given as (name, YAML text). Throws <see cref="SignatureFormatException"/> naming the file and id.</summary>
    public static SignatureBase Parse(IEnumerable<(string Name, string Yaml)> files)
    {
        var all = new List<Signature>();
        foreach (var (name, yaml) in files)
        {
            SignatureFile file;
            try { file = SignatureFileReader.Read(yaml); }
            catch (YamlDotNet.Core.YamlException ex) { throw new SignatureFormatException($"{name} line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}"); }
            var family = file.Family ?? Path.GetFileNameWithoutExtension(name);
            all.AddRange(file.Signatures.Select(entry => ToSignature(name, family, entry)));
        }
        var duplicate = all.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new SignatureFormatException($"signature id '{duplicate.Key}' is defined {duplicate.Count()} times");
        foreach (var s in all)
            foreach (var y in s.YieldsTo.Where(y => all.All(o => o.Id != y)))
                throw new SignatureFormatException($"{s.Id}: yieldsTo names unknown signature '{y}'");
        return new SignatureBase(all);
    }

    private static IEnumerable<(string, string)> ReadEmbedded()
    {
        var assembly = typeof(SignatureBase).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".yaml")).Order(StringComparer.Ordinal))
        {
            var prefix = ResourcePrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
            if (prefix is null) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..], reader.ReadToEnd());
        }
    }

    private static Signature ToSignature(string file, string family, SignatureEntry e)
    {
        string where = $"{file}: {e.Id ?? "(no id)"}";
        if (string.IsNullOrWhiteSpace(e.Id) || !Regex.IsMatch(e.Id, "^[a-z0-9]+(-[a-z0-9]+)*$"))
            throw new SignatureFormatException($"{where}: id must be a lowercase slug");
        if (string.IsNullOrWhiteSpace(e.Title)) throw new SignatureFormatException($"{where}: title is required");
        if (string.IsNullOrWhiteSpace(e.Cause)) throw new SignatureFormatException($"{where}: cause is required");
        if (e.Fix.Count == 0) throw new SignatureFormatException($"{where}: fix needs at least one step");
        if (e.Sources.Count == 0) throw new SignatureFormatException($"{where}: sources needs at least one URL");
        if (e.Match.Count == 0) throw new SignatureFormatException($"{where}: match needs at least one clause");
        var clauses = e.Match.Select(c => ToClause(where, c)).ToList();
        CheckPlaceholders(where, e, clauses);
        foreach (var example in e.Examples.Where(x => x.Source != null && !x.Source.StartsWith("https://", StringComparison.Ordinal)))
            throw new SignatureFormatException($"{where}: example source must be an https URL, not '{example.Source}'");
        var hypotheses = e.Hypotheses.Select(h => new Hypothesis(
            h.Id ?? throw new SignatureFormatException($"{where}: hypothesis without id"),
            h.Cause ?? throw new SignatureFormatException($"{where}: hypothesis {h.Id} without cause"),
            h.Fix, h.PreventedBy, h.TellsApart ?? "",
            h.SupportedBy.Select(p => Compile(where, p)).ToList())).ToList();
        return new Signature(e.Id, family, e.Title.Trim(), ParseConfidence(where, e.Confidence), clauses, e.Cause.Trim(),
            e.Fix.Select(f => f.Trim()).ToList(), e.PreventedBy, e.Sources, e.YieldsTo, ParseYieldScope(where, e.YieldScope), hypotheses, e.Examples, e.NearMisses);
    }

    private static MatchClause ToClause(string where, ClauseEntry c)
    {
        var clause = new MatchClause(c.WaitingReason, c.TerminatedReason, c.EventReason, c.ConditionReason, c.StopCode, c.ExitCode,
            c.Message is null ? null : Compile(where, c.Message), c.Counter);
        if (!clause.HasStructuredFact && clause.Message is null)
            throw new SignatureFormatException($"{where}: a match clause needs a structured fact or a message pattern");
        return clause;
    }

    // A placeholder must name a group some clause captures; otherwise it could never show what the input said.
    private static void CheckPlaceholders(string where, SignatureEntry e, IReadOnlyList<MatchClause> clauses)
    {
        var groups = clauses.Where(c => c.Message != null).SelectMany(c => c.Message!.GetGroupNames()).ToHashSet(StringComparer.Ordinal);
        foreach (var name in new[] { e.Cause! }.Concat(e.Fix).SelectMany(CauseTemplate.Names).Distinct())
            if (!groups.Contains(name))
                throw new SignatureFormatException($"{where}: placeholder {{{{{name}}}}} names no capture group of its patterns");
    }

    private static SafeRegex Compile(string where, string pattern)
    {
        try { return SafeRegex.Create(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture); }
        catch (ArgumentException ex) { throw new SignatureFormatException($"{where}: bad pattern /{pattern}/: {ex.Message}"); }
    }

    private static YieldScope ParseYieldScope(string where, string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "run" => YieldScope.Run,
        "line" => YieldScope.Line,
        _ => throw new SignatureFormatException($"{where}: yieldScope must be run or line"),
    };

    private static double ParseConfidence(string where, string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "high" => 0.9,
        "medium" or null => 0.7,
        "low" => 0.4,
        _ => throw new SignatureFormatException($"{where}: confidence must be high, medium or low"),
    };
}

public sealed class SignatureFormatException(string message) : Exception(message);
