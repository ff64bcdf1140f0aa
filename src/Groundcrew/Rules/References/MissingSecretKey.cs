namespace Groundcrew.Rules.References;

/// <summary>A pod reads a key the Secret in the scanned files does not have: the container never starts.</summary>
public sealed class MissingSecretKey : MissingKeyRule
{
    protected override string TargetKind => "Secret";
    public override string Title => "Secret key does not exist";
    public override string Prevents => "CreateContainerConfigError: couldn't find key DB_PASSWORD in Secret default/app-secrets";
    public override string Fix => "Add the key to the Secret (or to what creates it), or correct the key name; keys are case-sensitive. Mark the reference `optional: true` if the pod can run without it.";
    public override IReadOnlyList<string> Incidents => ["A12"];
}
