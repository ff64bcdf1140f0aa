using Groundcrew.Core;

namespace Groundcrew.Rules.Input;

/// <summary>A file Groundcrew could not read: malformed YAML/JSON, binary, too large, unreadable, a symlink loop.</summary>
public sealed class InputError : InputProblemRule
{
    public override string Title => "File could not be read";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "error: error parsing deployment.yaml: error converting YAML to JSON (kubectl apply)";
    public override string Fix => "Fix the syntax at the line shown, or exclude the file in .groundcrew.yaml if it is not deployment configuration.";
}
