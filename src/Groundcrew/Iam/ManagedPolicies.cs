using Groundcrew.Core;
using Groundcrew.Load;

namespace Groundcrew.Iam;

/// <summary>An AWS managed policy we carry as data, with the documentation page its content was taken from.</summary>
public sealed record ManagedPolicy(string Name, string Arn, string Source, PolicyDocument Document);

/// <summary>
/// AWS managed policies carried as data (Data/iam/managed-policies/*.json, each with its source page in the AWS
/// Managed Policy Reference). A policy we do not carry gives null: the evaluator must treat that attachment as
/// unknown (<see cref="DocumentFor"/>), never as granting nothing.
/// </summary>
public static class ManagedPolicies
{
    private const string Prefix = "Groundcrew.Data.iam.managed-policies.";

    private static readonly Lazy<IReadOnlyDictionary<string, ManagedPolicy>> All = new(Load);

    public static IReadOnlyCollection<ManagedPolicy> Known => All.Value.Values.ToList();

    /// <summary>
    /// The policy for an ARN like arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy or
    /// arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy (the path must be the policy's own);
    /// null for a customer managed policy, another partition or a policy we do not carry.
    /// </summary>
    public static ManagedPolicy? Find(string? arn)
    {
        if (string.IsNullOrWhiteSpace(arn)) return null;
        return All.Value.TryGetValue(arn.Trim(), out var p) ? p : null;
    }

    /// <summary>True for arn:aws:iam::aws:policy/... (an AWS managed policy, whether or not we carry it).</summary>
    public static bool IsAwsManagedArn(string? arn) =>
        arn != null && IamMatch.Split(arn.Trim()) is { Count: 6 } p && p[0] == "arn" && p[2] == "iam" && p[4] == "aws" && p[5].StartsWith("policy/", StringComparison.Ordinal);

    /// <summary>The document for an attached AWS managed policy ARN; an unknown document when we do not carry it.</summary>
    public static PolicyDocument DocumentFor(string arn, SourceSpan? attachedAt = null) =>
        Find(arn)?.Document ?? PolicyDocument.Unknown($"the AWS managed policy {arn} is not in Groundcrew's data", arn, attachedAt);

    private static IReadOnlyDictionary<string, ManagedPolicy> Load()
    {
        var result = new Dictionary<string, ManagedPolicy>(StringComparer.Ordinal);
        var assembly = typeof(ManagedPolicies).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            var relative = "iam/managed-policies/" + resource[Prefix.Length..];
            var loaded = JsonTreeLoader.Load(DataFiles.ReadText(relative), "Data/" + relative);
            if (loaded.Error != null || loaded.Documents.FirstOrDefault()?.Root is not MapNode m)
                throw new InvalidDataException($"Data/{relative}: not a JSON object ({loaded.Error?.Message})");
            var name = m.GetString("name") ?? throw new InvalidDataException($"Data/{relative}: no name");
            var arn = m.GetString("arn") ?? throw new InvalidDataException($"Data/{relative}: no arn");
            var source = m.GetString("source") ?? throw new InvalidDataException($"Data/{relative}: no source");
            var doc = m["document"] ?? throw new InvalidDataException($"Data/{relative}: no document");
            result[arn] = new ManagedPolicy(name, arn, source, PolicyDocument.Parse(doc, $"AWS managed policy {name}"));
        }
        return result;
    }
}
