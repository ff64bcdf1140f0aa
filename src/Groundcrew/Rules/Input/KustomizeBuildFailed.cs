using Groundcrew.Core;

namespace Groundcrew.Rules.Input;

/// <summary>`kubectl kustomize` could not build an overlay; whatever it deploys is unknown, and `kubectl apply -k` will fail the same way.</summary>
public sealed class KustomizeBuildFailed : InputProblemRule
{
    public override string Title => "Kustomize overlay does not build";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "error: accumulating resources: ... no such file or directory (kubectl apply -k)";
    public override string Fix => "Run `kubectl kustomize` on the folder and fix the file or path it names.";
}
