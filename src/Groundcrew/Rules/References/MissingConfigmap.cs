namespace Groundcrew.Rules.References;

/// <summary>A pod needs a ConfigMap that no scanned file defines (nor a Kustomize configMapGenerator renders).</summary>
public sealed class MissingConfigmap : MissingObjectRule
{
    protected override string TargetKind => "ConfigMap";
    public override string Title => "ConfigMap not defined in the scanned files";
    public override string Prevents => "CreateContainerConfigError: configmap \"app-config\" not found; MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found";
    public override string Fix => "Add the ConfigMap (or a configMapGenerator) to the deployment, fix the name, or mark the reference `optional: true`.";
    public override IReadOnlyList<string> Incidents => ["A12"];
}
