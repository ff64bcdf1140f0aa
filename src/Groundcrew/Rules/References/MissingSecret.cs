namespace Groundcrew.Rules.References;

/// <summary>A pod needs a Secret that no scanned file defines or creates (Secret, ExternalSecret, SealedSecret, Certificate...).</summary>
public sealed class MissingSecret : MissingObjectRule
{
    protected override string TargetKind => "Secret";
    public override string Title => "Secret not defined in the scanned files";
    public override string Prevents => "CreateContainerConfigError: secret \"app-secrets\" not found; MountVolume.SetUp failed for volume \"creds\" : secret \"app-secrets\" not found";
    public override string Fix => "Add the Secret (or the ExternalSecret/SealedSecret that creates it) to the deployment, fix the name, or mark the reference `optional: true`.";
    public override IReadOnlyList<string> Incidents => ["A12"];
}
