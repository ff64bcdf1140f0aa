using Groundcrew.Core;

namespace Groundcrew.Rules.Input;

/// <summary>A rule whose findings are the problems the loaders recorded under its id (the loaders never build findings themselves).</summary>
public abstract class InputProblemRule : Rule
{
    public override IEnumerable<Finding> Check(RuleContext context) =>
        context.Model.InputProblems.Where(p => p.RuleId == Id).Select(p => new Finding(Id, p.Severity, p.Message, p.Span, Fix));
}
