using Groundcrew.Core;

namespace Groundcrew.Rules.Input;

/// <summary>
/// A cap that keeps the scan bounded was hit (docs/limits.md): a Terraform evaluation that needed more steps or instances
/// than Groundcrew spends, too many files. What lies past the cap is not checked, so a clean result there proves nothing.
/// </summary>
public sealed class ScanLimitReached : InputProblemRule
{
    public override string Title => "Part of the scan was cut off by a limit";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "a clean result that silently skipped what it could not afford to read (nested dynamic blocks over thousands of items, a vendored tree)";
    public override string Fix => "Scan a Terraform plan (`terraform show -json plan.out`) for fully expanded values, or exclude generated and vendored folders (`exclude:` in .groundcrew.yaml); see docs/limits.md.";
}
