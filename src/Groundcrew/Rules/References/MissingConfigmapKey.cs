namespace Groundcrew.Rules.References;

/// <summary>A pod reads a key the ConfigMap in the scanned files does not have: the container never starts.</summary>
public sealed class MissingConfigmapKey : MissingKeyRule
{
    protected override string TargetKind => "ConfigMap";
    public override string Title => "ConfigMap key does not exist";
    public override string Prevents => "CreateContainerConfigError: couldn't find key LOG_LEVEL in ConfigMap default/app-config";
    public override string Fix => "Add the key to the ConfigMap (or its generator), or correct the key name; keys are case-sensitive. Mark the reference `optional: true` if the pod can run without it.";
    public override IReadOnlyList<string> Incidents => ["A12"];
}
