using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Rules.Values;

/// <summary>
/// A placeholder found in a value: what was matched (safe to print: it is the placeholder, not the value), why, and the
/// pattern class of placeholders.yaml that matched (`whole-value`, or an `embedded` id such as `angle-your`).
/// </summary>
public sealed record PlaceholderHit(string Token, string Reason, string Pattern = "");

/// <summary>The placeholder patterns of Data/placeholders.yaml, shared by every rule that must not report a placeholder twice.</summary>
public static partial class Placeholders
{
    private sealed record Tables(SafeRegex Whole, (string Id, LinearPattern Pattern)[] Embedded, SafeRegex AccountWord, HashSet<string> DocAccounts,
        HashSet<string> SecretSuffixWords, SafeRegex Variable, string[] AwsAnnotationPrefixes, SafeRegex Pipeline, LinearPattern[] Tokens);

    private static readonly Lazy<Tables> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("placeholders.yaml");
        // Linear where the syntax allows; the few lookaround patterns run over bounded input (SafeRegex).
        SafeRegex R(string? p) => SafeRegex.Create(p ?? throw new InvalidDataException("placeholders.yaml: missing pattern"));
        LinearPattern L(string? p) => new(p ?? throw new InvalidDataException("placeholders.yaml: missing pattern"));
        IEnumerable<string> Strs(string key) => y.GetSeq(key)?.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>() ?? [];
        return new Tables(
            R(y.GetMap("wholeValue")?.GetString("pattern")),
            (y.GetSeq("embedded")?.Maps ?? []).Select(m => (m.GetString("id") ?? "", L(m.GetString("pattern")))).ToArray(),
            R(y.GetString("accountWordPattern")),
            Strs("documentationAccounts").ToHashSet(StringComparer.Ordinal),
            Strs("secretSuffixWords").ToHashSet(StringComparer.Ordinal),
            R(y.GetString("unsubstitutedVariable")),
            Strs("awsAnnotationPrefixes").ToArray(),
            R(y.GetString("pipelinePlaceholders")),
            (y.GetSeq("substitutionTokens")?.Maps ?? []).Select(m => L(m.GetString("pattern"))).ToArray());
    });

    // arn:partition:service:region:account:resource — the account is the fifth field. No field before the resource holds
    // a ':', so the fields are read back from the match by its colons (no Match or Group objects per value).
    private static readonly SafeRegex Arn = new(@"\barn:(?<partition>[^:\s""']*):(?<service>[a-z0-9-]*):(?<region>[^:\s""']*):(?<account>[^:\s""']*):(?<resource>[^\s""',]*)", RegexOptions.CultureInvariant);
    // The account part holds no '.': it is the match up to its first '.'.
    // Linear: the account cannot start right after a '.', which the loop below checks (the engine has no lookbehind).
    private static readonly SafeRegex EcrHost = new(@"(?<account>[^\s/:@""'.]+)\.dkr\.ecr(?:-fips)?\.(?<region>[^\s/.""']+)\.amazonaws\.com", RegexOptions.CultureInvariant);
    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex TwelveDigits();

    public static SafeRegex Variable => Data.Value.Variable;

    /// <summary>A placeholder that a documented deploy mechanism fills in (CodePipeline's &lt;IMAGE1_NAME&gt;).</summary>
    public static bool IsPipelinePlaceholder(string value) => Data.Value.Pipeline.IsMatch(value.Trim());

    /// <summary>A resource whose own name is a placeholder or variable is a template that something else fills in as a whole.</summary>
    public static bool IsTemplateResource(Model.Resource r) => TemplateNames.Get(r.Name);

    // Asked for every value of every resource (placeholder-value, invalid-image-reference).
    private static readonly BoundedCache<bool> TemplateNames = new(name =>
        name.Contains("${", StringComparison.Ordinal) || name.Contains("{{", StringComparison.Ordinal) || name.Contains("$(", StringComparison.Ordinal) || Any(name) != null || SubstitutionToken(name) != null);
    public static IReadOnlyList<string> AwsAnnotationPrefixes => Data.Value.AwsAnnotationPrefixes;

    /// <summary>A substitution token a build step replaces (__IMAGE__, #{Tag}#, @VERSION@): the first one in the value, or null.</summary>
    public static System.Text.RegularExpressions.Match? SubstitutionToken(string value)
    {
        if (value.IndexOfAny(['_', '#', '@']) < 0) return null;
        foreach (var r in Data.Value.Tokens)
            if (r.Match(value) is { Success: true } m) return m;
        return null;
    }

    /// <summary>
    /// A value written as a template rather than a literal: ${VAR}, $(VAR), {{ ... }}, or a substitution token. What it
    /// stands for is unknown, so rules that compare names or parse values say nothing about it.
    /// </summary>
    public static bool IsTemplated(string value) =>
        value.Contains("${", StringComparison.Ordinal) || value.Contains("$(", StringComparison.Ordinal) || value.Contains("{{", StringComparison.Ordinal)
        || SubstitutionToken(value) != null;

    /// <summary>A whole value that is a placeholder word (CHANGEME, TODO, xxx, your-key-here).</summary>
    public static PlaceholderHit? WholeValue(string value)
    {
        var t = value.Trim();
        if (t.Length == 0 || t.Length > 80) return null;
        return Data.Value.Whole.IsMatch(t) ? new PlaceholderHit(t, t.StartsWith('<') ? "an angle-bracket placeholder was never filled in" : "the whole value is a placeholder word", "whole-value") : null;
    }

    /// <summary>Placeholder tokens inside a single-line value (REPLACE_ME, &lt;your-...&gt;, &lt;ACCOUNT_ID&gt;).</summary>
    public static PlaceholderHit? Embedded(string value)
    {
        foreach (var (id, pattern) in Data.Value.Embedded)
            if (pattern.Match(value) is { Success: true } m)
                return new PlaceholderHit(m.Value, id.StartsWith("angle", StringComparison.Ordinal) ? "an angle-bracket placeholder was never filled in" : "a placeholder word was never replaced", id);
        return null;
    }

    /// <summary>ARN account fields, ECR hosts and Secrets Manager suffixes holding placeholders. Works on multi-line text too.</summary>
    public static PlaceholderHit? InAwsIdentifiers(string value)
    {
        if (!value.Contains("arn:", StringComparison.Ordinal) && !value.Contains(".dkr.ecr", StringComparison.Ordinal)) return null;
        foreach (var m in Arn.MatchSpans(value))
        {
            var arn = value.AsSpan(m.Index, m.Length);
            var fields = arn.Split(':');
            fields.MoveNext(); // "arn"
            fields.MoveNext(); // partition
            fields.MoveNext();
            var service = arn[fields.Current];
            fields.MoveNext(); // region
            fields.MoveNext();
            if (AccountProblem(arn[fields.Current]) is { } why) return new PlaceholderHit(Trim(arn.ToString()), $"the ARN's account field {why}");
            if (service.SequenceEqual("secretsmanager") && SecretSuffix(arn.ToString()) is { } hit) return hit;
        }
        foreach (var m in EcrHost.MatchSpans(value))
        {
            if (m.Index > 0 && value[m.Index - 1] is '.' or '-' || m.Index > 0 && char.IsLetterOrDigit(value[m.Index - 1]) || m.Index > 0 && value[m.Index - 1] == '_') continue;
            var host = value.AsSpan(m.Index, m.Length);
            if (AccountProblem(host[..host.IndexOf('.')]) is { } why)
                return new PlaceholderHit(host.ToString(), $"the ECR registry's account part {why}");
        }
        return null;
    }

    /// <summary><see cref="AccountProblem(string)"/> without making a string for the common case, a real 12-digit account.</summary>
    private static string? AccountProblem(ReadOnlySpan<char> account)
    {
        if (account.Length == 12 && !account.ContainsAnyExceptInRange('0', '9') && !IsDocAccount(account)) return null;
        return AccountProblem(account.ToString());
    }

    private static bool IsDocAccount(ReadOnlySpan<char> account)
    {
        foreach (var doc in Data.Value.DocAccounts)
            if (account.SequenceEqual(doc)) return true;
        return false;
    }

    /// <summary>Why an ARN/ECR account field is a placeholder, or null when it is a real account (or left to another check).</summary>
    public static string? AccountProblem(string account)
    {
        if (account.Length == 0 || account == "aws" || account == "*" || TwelveDigits().IsMatch(account) && !Data.Value.DocAccounts.Contains(account))
            return null;
        if (Data.Value.DocAccounts.Contains(account)) return $"is {account}, the AWS documentation's example account";
        if (account.Contains("${", StringComparison.Ordinal) || account.Contains("$(", StringComparison.Ordinal) || account.Contains("{{", StringComparison.Ordinal)) return null; // a variable: judged by the ${VAR} check
        if (Data.Value.AccountWord.IsMatch(account)) return $"is the placeholder '{account}', not a 12-digit account id";
        if (account.All(char.IsDigit)) return null; // a wrong-length number: a typo, not a placeholder (IAM/ECR rules judge structure)
        return $"is '{account}', not a 12-digit account id";
    }

    /// <summary>A Secrets Manager ARN (possibly followed by ECS's :json-key:version-stage:version-id) whose 6-character suffix is a placeholder.</summary>
    public static PlaceholderHit? SecretSuffix(string arnText)
    {
        // ECS valueFrom may add :json-key:version-stage:version-id after the secret name; the name ends at the 7th field.
        var parts = arnText.Split(':');
        if (parts.Length < 7 || parts[2] != "secretsmanager" || parts[5] != "secret") return null;
        var name = parts[6];
        var dash = name.LastIndexOf('-');
        if (dash < 0 || dash == name.Length - 1) return null;
        var suffix = name[(dash + 1)..];
        var words = Data.Value.SecretSuffixWords;
        var placeholder = words.Contains(suffix)
            || (suffix.Length == 6 && suffix.Distinct().Count() == 1)
            || (suffix.Length is >= 4 and <= 8 && suffix.All(ch => ch is '?' or '*' or 'X' or 'x') && suffix.Any(ch => ch is '?' or '*'));
        return placeholder
            ? new PlaceholderHit("-" + suffix, $"the secret ARN ends in the placeholder suffix -{suffix}; Secrets Manager adds a hyphen and 6 random characters that must be copied from the real ARN")
            : null;
    }

    /// <summary>Any strong placeholder (used by other rules to leave the span to placeholder-value).</summary>
    public static PlaceholderHit? Any(string value) => AnyAnswers.Get(value);

    // Three rules ask about every image and several about every resource name.
    private static readonly BoundedCache<PlaceholderHit?> AnyAnswers = new(value =>
        InAwsIdentifiers(value) ?? (value.Contains('\n') ? null : WholeValue(value) ?? Embedded(value)));

    private static string Trim(string s) => s.Length > 120 ? s[..117] + "..." : s;
}
