using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>An HPA whose minReplicas is above its maxReplicas (or whose maxReplicas is below 1): the API server rejects it.</summary>
public sealed class HpaMinReplicasAboveMax : Rule
{
    public override string Title => "HPA minReplicas above maxReplicas";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`The HorizontalPodAutoscaler \"web\" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas``";
    public override string Fix => "Make minReplicas at most maxReplicas.";
    public override IReadOnlyList<string> Incidents => ["E3"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var hpa in context.Model.OfKind("HorizontalPodAutoscaler"))
        {
            if (!KubeSupport.IsHpa(hpa) || hpa.Spec is not { } spec) continue;
            var minNode = spec["minReplicas"] as ScalarNode;
            var maxNode = spec["maxReplicas"] as ScalarNode;
            var min = KubeSupport.Integer(minNode) ?? 1;
            if (KubeSupport.Integer(maxNode) is not { } max) continue;
            if (max < 1)
                yield return At(maxNode!, $"HorizontalPodAutoscaler/{hpa.Name} sets maxReplicas: {max}; the API server requires at least 1", "Set maxReplicas to 1 or more.");
            else if (min > max)
                yield return At(minNode!, $"HorizontalPodAutoscaler/{hpa.Name} sets minReplicas: {min} above maxReplicas: {max}: the API server rejects the object",
                    $"Lower minReplicas to at most {max}, or raise maxReplicas to at least {min}.",
                    [new RelatedLocation(maxNode!.Span, $"maxReplicas: {max}")]);
        }
    }
}
