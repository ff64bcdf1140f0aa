using Groundcrew.Core;
using Groundcrew.Diagnose.Signatures;

namespace Groundcrew.Diagnose.Matching;

/// <summary>
/// Orders the causes of a many-cause signature. The YAML order is the prior (the commonest cause first);
/// each support pattern found in the input adds weight, and a `check` run that reported one of the
/// hypothesis's preventing rules adds more, because that is direct evidence about the repository.
/// </summary>
public static class HypothesisRanker
{
    private const double PriorStep = 0.01;
    private const double PerSupportingPattern = 1.0;
    private const double CheckReportedRule = 2.0;

    public static IReadOnlyList<RankedHypothesis> Rank(Signature signature, string allInputText, CheckEvidence? check)
    {
        var ranked = new List<RankedHypothesis>();
        for (var i = 0; i < signature.Hypotheses.Count; i++)
        {
            var h = signature.Hypotheses[i];
            var score = (signature.Hypotheses.Count - i) * PriorStep;
            var support = new List<string>();
            foreach (var pattern in h.SupportedBy)
            {
                var m = pattern.Match(allInputText);
                if (!m.Success) continue;
                score += PerSupportingPattern;
                support.Add($"the input says \"{SignatureMatcher.Quoted(m.Value.Trim())}\"");
            }
            if (check != null)
                foreach (var rule in h.PreventedBy.Where(check.FiredRules.Contains))
                {
                    score += CheckReportedRule;
                    support.Add($"check reported {rule} in {check.Origin}");
                }
            ranked.Add(new RankedHypothesis(h, Math.Round(score, 2), support));
        }
        return ranked.OrderByDescending(r => r.Score).ToList();
    }
}
