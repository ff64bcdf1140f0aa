using System.Text;

namespace Groundcrew.Diagnose.Signatures;

/// <summary>
/// Renders docs/signatures/README.md from the signature base, so the user-facing list cannot drift from
/// the data: each signature with its cause, fix, sources and preventing rules (linked to docs/rules), and
/// the reverse index from each check rule to the failures it prevents. A test keeps the file current.
/// </summary>
public static class SignatureDocs
{
    public const string RelativePath = "docs/signatures/README.md";

    public static string Render(SignatureBase signatures)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Failure signatures");
        sb.AppendLine();
        sb.AppendLine("<!-- Generated from src/Groundcrew/Data/signatures/*.yaml by SignatureDocs; do not edit by hand.");
        sb.AppendLine("     Regenerate: GROUNDCREW_UPDATE_DOCS=1 dotnet test --filter FullyQualifiedName~SignatureDocsTests -->");
        sb.AppendLine();
        sb.AppendLine($"`groundcrew diagnose` knows {signatures.Signatures.Count} failures. See [diagnose.md](../diagnose.md) for usage and how to add one.");
        sb.AppendLine();
        sb.AppendLine("| id | failure | prevented by |");
        sb.AppendLine("| --- | --- | --- |");
        foreach (var s in signatures.Signatures)
            sb.AppendLine($"| [{s.Id}](#{s.Id}) | {Escape(s.Title)} | {RuleLinks(AllRules(s))} |");
        sb.AppendLine();
        sb.AppendLine("## By check rule");
        sb.AppendLine();
        sb.AppendLine("The failures each `groundcrew check` rule prevents.");
        sb.AppendLine();
        sb.AppendLine("| rule | prevents |");
        sb.AppendLine("| --- | --- |");
        foreach (var (rule, list) in signatures.ByRule())
            sb.AppendLine($"| [{rule}](../rules/{rule}.md) | {string.Join(", ", list.Select(s => $"[{s.Id}](#{s.Id})"))} |");
        foreach (var family in signatures.Signatures.GroupBy(s => s.Family))
        {
            sb.AppendLine();
            sb.AppendLine($"## {family.Key}");
            foreach (var s in family)
            {
                sb.AppendLine();
                sb.AppendLine($"### {s.Id}");
                sb.AppendLine();
                sb.AppendLine($"**{Escape(s.Title)}** (confidence {ConfidenceName(s.Confidence)})");
                sb.AppendLine();
                sb.AppendLine(CauseTemplate.Generic(s.Cause));
                sb.AppendLine();
                sb.AppendLine("Fix:");
                sb.AppendLine();
                foreach (var f in s.Fix) sb.AppendLine($"- {CauseTemplate.Generic(f)}");
                if (s.Hypotheses.Count > 0)
                {
                    sb.AppendLine();
                    sb.AppendLine("Possible causes (ranked at run time by the input and by `--repo`/`--check-results`):");
                    sb.AppendLine();
                    foreach (var h in s.Hypotheses)
                        sb.AppendLine($"- **{h.Id}**: {h.Cause} *Tells it apart:* {h.TellsApart} Prevented by {RuleLinks(h.PreventedBy)}.");
                }
                sb.AppendLine();
                sb.AppendLine($"Prevented by: {RuleLinks(AllRules(s))}");
                sb.AppendLine();
                sb.AppendLine("Example:");
                sb.AppendLine();
                sb.AppendLine("```");
                sb.AppendLine(s.Examples[0].Text.TrimEnd());
                sb.AppendLine("```");
                sb.AppendLine();
                sb.AppendLine($"Sources: {string.Join(", ", s.Sources.Select(u => $"<{u}>"))}");
                // Where the other wordings in `examples` were seen, so a reader can check the shapes matched are real.
                var seen = s.Examples.Where(e => e.Source != null).Select(e => e.Source!).Distinct().ToList();
                if (seen.Count > 0)
                {
                    sb.AppendLine();
                    sb.AppendLine($"Also matches the wordings seen at: {string.Join(", ", seen.Select(u => $"<{u}>"))}");
                }
            }
        }
        return sb.ToString();
    }

    private static IReadOnlyList<string> AllRules(Signature s) =>
        s.PreventedBy.Concat(s.Hypotheses.SelectMany(h => h.PreventedBy)).Distinct().ToList();

    private static string RuleLinks(IReadOnlyList<string> rules) =>
        rules.Count == 0 ? "no check rule yet" : string.Join(", ", rules.Select(r => $"[{r}](../rules/{r}.md)"));

    private static string ConfidenceName(double c) => c >= 0.9 ? "high" : c >= 0.7 ? "medium" : "low";

    private static string Escape(string text) => text.Replace("|", "\\|");
}
