using Groundcrew.Core;

namespace Groundcrew.Rules.Input;

/// <summary>A `groundcrew:ignore` without a reason: the next reader cannot tell a deliberate exception from a silenced bug.</summary>
public sealed class SuppressionWithoutReason : Rule
{
    public override string Title => "Suppression without a reason";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "a real failure hidden by an ignore comment nobody can justify later";
    public override string Fix => "Add the reason after the rule id: `# groundcrew:ignore RULE-ID why this is safe` or `groundcrew.dev/ignore: \"RULE-ID: why\"`.";

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var s in context.Model.Suppressions.All)
        {
            if (s.Reason == null)
                yield return At(s.Where, $"suppression of {s.RuleId} gives no reason");
            if (s.RuleId != "all" && RuleRegistry.Find(s.RuleId) == null)
                yield return At(s.Where, $"suppression names unknown rule '{s.RuleId}'", "Use an id from `groundcrew rules`.");
        }
    }
}
