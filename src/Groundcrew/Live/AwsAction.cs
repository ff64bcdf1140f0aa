namespace Groundcrew.Live;

/// <summary>
/// Maps an aws CLI call (`aws iam list-roles ...`) to the IAM action it needs (`iam:ListRoles`): the CLI's
/// operation names are the API's, kebab-cased, and the service prefix is the CLI's except for the few below.
/// </summary>
public static class AwsAction
{
    // CLI command name -> IAM service prefix, where they differ (AWS Service Authorization Reference).
    private static readonly Dictionary<string, string> Prefixes = new()
    {
        ["secretsmanager"] = "secretsmanager",
        ["elbv2"] = "elasticloadbalancing",
        ["elb"] = "elasticloadbalancing",
        ["events"] = "events",
        ["logs"] = "logs",
        ["ecr"] = "ecr",
        ["resourcegroupstaggingapi"] = "tag",
    };

    public static string Of(string service, string operation) =>
        $"{(Prefixes.TryGetValue(service, out var p) ? p : service)}:{Pascal(operation)}";

    /// <summary>For `aws [global options] SERVICE OPERATION ...`, the action; null for anything else.</summary>
    public static string? FromCommandLine(string commandLine)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || Path.GetFileName(words[0].Trim('\'')) is not ("aws" or "aws.cmd")) return null;
        var rest = words.Skip(1).ToList();
        // Global options come before the service only when a user wrote them so; ours come after.
        while (rest.Count > 0 && rest[0].StartsWith("--", StringComparison.Ordinal)) rest.RemoveRange(0, Math.Min(2, rest.Count));
        return rest.Count >= 2 ? Of(rest[0], rest[1]) : null;
    }

    private static string Pascal(string kebab) =>
        string.Concat(kebab.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
