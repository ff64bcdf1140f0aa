namespace Groundcrew.Diagnose.Signatures;

// The YAML shape of Data/signatures/*.yaml, kept apart from the domain records so the file format
// can stay forgiving (missing lists) while the loaded signatures are strict.
internal sealed class SignatureFile
{
    public string? Family { get; set; }
    public List<SignatureEntry> Signatures { get; set; } = [];
}

internal sealed class SignatureEntry
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Confidence { get; set; }
    public List<ClauseEntry> Match { get; set; } = [];
    public string? Cause { get; set; }
    public List<string> Fix { get; set; } = [];
    public List<string> PreventedBy { get; set; } = [];
    public List<string> Sources { get; set; } = [];
    public List<string> YieldsTo { get; set; } = [];
    public string? YieldScope { get; set; }
    public List<HypothesisEntry> Hypotheses { get; set; } = [];
    public List<SignatureExample> Examples { get; set; } = [];
    public List<string> NearMisses { get; set; } = [];
}

internal sealed class ClauseEntry
{
    public List<string> WaitingReason { get; set; } = [];
    public List<string> TerminatedReason { get; set; } = [];
    public List<string> EventReason { get; set; } = [];
    public List<string> ConditionReason { get; set; } = [];
    public List<string> StopCode { get; set; } = [];
    public List<int> ExitCode { get; set; } = [];
    public List<string> Counter { get; set; } = [];
    public string? Message { get; set; }
}

internal sealed class HypothesisEntry
{
    public string? Id { get; set; }
    public string? Cause { get; set; }
    public List<string> Fix { get; set; } = [];
    public List<string> PreventedBy { get; set; } = [];
    public string? TellsApart { get; set; }
    public List<string> SupportedBy { get; set; } = [];
}
