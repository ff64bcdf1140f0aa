using System.Diagnostics.CodeAnalysis;
using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;
using Groundcrew.Rules.Iam;

namespace Groundcrew.Rules.Live;

/// <summary>
/// The reading of the snapshot the live rules share: which references fall inside the collected account and
/// regions (only those can be called missing), secret ARNs split into name and suffix, and the "observed" note.
/// </summary>
internal static class LiveFacts
{
    /// <summary>
    /// The preamble of every live rule: the check has a snapshot with its AWS side, and every part the rule reads
    /// was collected. False means the rule stays silent (no inventory, or "not known" is not "missing").
    /// </summary>
    public static bool TryAws(RuleContext context, [NotNullWhen(true)] out Snapshot? snapshot, [NotNullWhen(true)] out AwsFacts? aws, params string[] parts)
    {
        snapshot = context.Model.Inventory;
        aws = snapshot?.Aws;
        if (snapshot != null && aws != null && parts.All(snapshot.Knows)) return true;
        snapshot = null;
        aws = null;
        return false;
    }

    /// <summary>The same for the cluster side of the snapshot.</summary>
    public static bool TryKube(RuleContext context, [NotNullWhen(true)] out Snapshot? snapshot, [NotNullWhen(true)] out KubeFacts? kube, params string[] parts)
    {
        snapshot = context.Model.Inventory;
        kube = snapshot?.Kube;
        if (snapshot != null && kube != null && parts.All(snapshot.Knows)) return true;
        snapshot = null;
        kube = null;
        return false;
    }

    /// <summary>Each secret a task definition reads, matched to what the snapshot holds for it (only the references in the collected scope).</summary>
    public static IEnumerable<(SecretUse Use, LiveSecretLookup Lookup)> SecretLookups(Snapshot s, EcsTaskDefinition td)
    {
        var (account, region) = TaskScope(td);
        foreach (var use in SecretUses(td))
            if (Lookup(s, use.ValueFrom, account, region) is { } lookup) yield return (use, lookup);
    }

    /// <summary>"(inventory of 2026-12-06 19:43:32 UTC, account 123456789012)": every live finding says when it was observed.</summary>
    public static string Observed(Snapshot s) =>
        $"(observed in the inventory of {s.Time}{(s.Sources.Aws?.Account is { } a ? $", account {a}" : "")})";

    public static bool InScope(Snapshot s, string account, string? region)
    {
        var src = s.Sources.Aws;
        if (src == null || s.Aws == null) return false;
        if (src.Account != null && account.Length > 0 && account != src.Account) return false;
        return region == null || region.Length == 0 || src.Regions.Count == 0 || src.Regions.Contains(region);
    }

    /// <summary>
    /// A task definition's valueFrom as the snapshot sees it (<see cref="SecretReads.Resolve"/>, the reading the collector
    /// asked the policy simulator with); null when it is not a literal or not in the collected scope.
    /// </summary>
    public static LiveSecretLookup? Lookup(Snapshot s, Node valueFrom, string? taskAccount, string? taskRegion)
    {
        if (valueFrom is not ScalarNode { Value: { Length: > 0 } text } || text.Contains("${") || text.Contains("{{") || s.Aws is not { } aws) return null;
        var account = s.Sources.Aws?.Account ?? taskAccount ?? "";
        var region = taskRegion ?? s.Sources.Aws?.Regions.FirstOrDefault() ?? "";
        return SecretReads.Resolve(aws, text, account, region) is { } lookup && InScope(s, lookup.Account, lookup.Region) ? lookup : null;
    }

    /// <summary>SSM names are stored with their leading slash when they have one; a reference may write either.</summary>
    public static bool ParameterExists(Snapshot s, string name) => SecretReads.ParameterExists(s.Aws!, name);

    /// <summary>
    /// The execution role a task definition names, as the account knows it: the ARN as written, or, when the file refers
    /// to a role the repository declares (Terraform `aws_iam_role.execution.arn`, CloudFormation `!GetAtt Role.Arn`, a
    /// Pulumi export's resolved ARN), that role's name. <c>TiedBy</c> says which evidence tied the live role (empty for an ARN as written).
    /// </summary>
    public static (string Role, string TiedBy)? ExecutionRole(RuleContext context, EcsTaskDefinition td)
    {
        if (td.ExecutionRoleArn?.Value is { Length: > 0 } arn) return (arn, "");
        if (context.Model.IamRoles.Find(td.Body["executionRoleArn"]) is { Name: { Length: > 0 } name } declared)
            return (name, $" (declared as `{declared.Resource.Address ?? name}` in {declared.Anchor.File}, tied to the account's role by its name)");
        return null;
    }

    public static (string? Account, string? Region) TaskScope(EcsTaskDefinition td)
    {
        foreach (var arn in new[] { td.ExecutionRoleArn?.Value, td.TaskRoleArn?.Value })
            if (arn is { } a && a.StartsWith("arn:aws:iam::", StringComparison.Ordinal) && a.Split(':') is { Length: 6 } p && p[4].Length == 12) return (p[4], null);
        return (null, null);
    }

    /// <summary>
    /// The name in <paramref name="names"/> closest to <paramref name="wanted"/>: the smallest edit distance, at most a
    /// third of the name (and at least 2), the first of equally near names. The distance is the one every "did you
    /// mean" of Groundcrew uses (<see cref="EditDistance"/>): a swap of two neighbours, the commonest typo, is one edit,
    /// so `wrokre` still finds `worker` (two swaps; four plain edits would have been over the limit).
    /// </summary>
    public static string? MostLikely(string wanted, IEnumerable<string> names)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var n in names)
        {
            var d = EditDistance.Between(wanted, n);
            if (d < bestDistance) { best = n; bestDistance = d; }
        }
        return best != null && bestDistance <= Math.Max(2, wanted.Length / 3) ? best : null;
    }

    internal static IEnumerable<SecretUse> SecretUses(EcsTaskDefinition td) => TaskSecrets.Uses(td);
}
