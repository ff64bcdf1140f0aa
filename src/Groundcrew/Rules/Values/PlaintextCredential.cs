using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Values;

/// <summary>
/// Credentials written as plain values where anyone who can read the manifest or `kubectl get`/`describe-task-definition`
/// sees them: passwords inside connection URIs, well-known token formats, and PASSWORD/SECRET/TOKEN/API_KEY variables with
/// literal values, in container env, ConfigMaps and ECS environment. Secret objects are not judged (that is where Kubernetes
/// wants secrets). The value is registered with the redactor and never printed.
/// </summary>
public sealed class PlaintextCredential : Rule
{
    public override string Title => "Credential in a plain value";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "leaked credentials, and `password authentication failed for user` when the hardcoded copy drifts from the real one (incident C3)";
    public override string Fix => "Move the value into a Secret (Kubernetes: env valueFrom.secretKeyRef) or Secrets Manager/SSM (ECS: `secrets` with valueFrom), and rotate it: it is in the repository's history.";
    public override IReadOnlyList<string> Incidents => ["C3"];

    private sealed record Tables((string Id, SafeRegex Pattern)[] Tokens, SafeRegex Example, SafeRegex Uri, SafeRegex SecretName, SafeRegex NotSecretName, SafeRegex Reference, HashSet<string> DevDefaults, SafeRegex FlagName, SafeRegex FlagValue);

    private static readonly Lazy<Tables> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("credentials.yaml");
        // Linear patterns: a value of 100k repeated characters used to time out here (RegexMatchTimeoutException).
        SafeRegex R(string? p) => SafeRegex.Create(p ?? throw new InvalidDataException("credentials.yaml: missing pattern"));
        return new Tables(
            (y.GetSeq("tokens")?.Maps ?? []).Select(m => (m.GetString("id") ?? "", R(m.GetString("pattern")))).ToArray(),
            R(y.GetString("exampleMarker")), R(y.GetString("uriPassword")), R(y.GetString("secretNamePattern")),
            R(y.GetString("notSecretNamePattern")), R(y.GetString("referenceValuePattern")),
            (y.GetSeq("devDefaults")?.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>() ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase),
            R(y.GetString("flagNamePattern")), R(y.GetString("flagValuePattern")));
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var browserEnv = BrowserEnv.Matcher(context.Config);
        foreach (var v in DeployValues.All(context.Model))
        {
            if (v.Site is not (ValueSite.EnvValue or ValueSite.ConfigMapData or ValueSite.CommandArg or ValueSite.Annotation)) continue;
            if (v.Site == ValueSite.Annotation && v.Name == "kubectl.kubernetes.io/last-applied-configuration") continue;
            // AWS key variables are owned by long-lived-aws-credentials (which also says when the value is literal).
            if (v.Name != null && LongLivedAwsCredentials.KeyNames.Contains(v.Name)) continue;
            if (v.Site == ValueSite.ConfigMapData && Judge(v, false) == null)
            {
                // A config file in a ConfigMap: `password = ...` / `db.password: ...` lines with literal values (also a
                // one-line value such as `config: REDIS_PASSWORD=abcd1234`, an env file squeezed into one key).
                foreach (var (line, key, secret) in FileAssignments(v.Value))
                {
                    context.Redactor.Add(secret);
                    var span = v.Node.Kind == ScalarKind.Block ? new SourceSpan(v.Node.Span.File, v.Node.Span.StartLine + 1 + line, 1) : v.Node.Span;
                    yield return At(span, $"{v.Describe}: line {line + 1} gives {key} a literal value in plain text ({Redactor.Describe(secret)})");
                }
                continue;
            }
            if (Judge(v, browserEnv(v.Name)) is not { } verdict) continue;
            // Publicly known defaults (admin, mysql, password) are not secrets, and registering them would scrub those words from every output.
            if (!verdict.DevDefault) context.Redactor.Add(verdict.Secret);
            var finding = At(v.Node, $"{v.Describe} {verdict.What} in plain text ({Redactor.Describe(verdict.Secret)})");
            yield return verdict.DevDefault ? finding with { Severity = Severity.Warning, Message = finding.Message + "; it looks like a development default, but a deployed default password is still a working password" } : finding;
        }
    }

    private sealed record Verdict(string Secret, string What, bool DevDefault = false);

    private static Verdict? Judge(DeployValue v, bool browserExposed)
    {
        var d = Data.Value;
        var value = v.Value;

        foreach (var (id, pattern) in d.Tokens)
        {
            var m = pattern.Match(value);
            if (!m.Success || d.Example.IsMatch(m.Value)) continue;
            if (id == "private-key") return new Verdict(PrivateKeyBlock(value, m.Index), "holds a private key");
            if (id == "aws-access-key-id" && browserExposed) continue;
            return new Verdict(m.Value, $"holds what has the format of a {id.Replace('-', ' ')}");
        }

        foreach (Match m in d.Uri.Matches(value))
        {
            var password = m.Groups["password"].Value;
            if (IsReference(password) || Placeholders.Any(password) != null || d.Example.IsMatch(password)) continue;
            var user = m.Groups["user"].Value;
            var scheme = m.Groups["scheme"].Value;
            var dev = d.DevDefaults.Contains(Uri.UnescapeDataString(password)) || password == user;
            return new Verdict(password, $"holds a password inside its {scheme}:// connection URI", dev);
        }

        if (v.Site is ValueSite.EnvValue or ValueSite.ConfigMapData && !v.IsMultiLine && v.Name is { } name && !browserExposed
            && d.SecretName.IsMatch(name) && !d.NotSecretName.IsMatch(name))
        {
            var t = value.Trim();
            if (t.Length == 0 || IsReference(t) || d.Reference.IsMatch(t) || Placeholders.Any(t) != null || d.Example.IsMatch(t)) return null;
            if (v.Node.Kind == ScalarKind.Plain && (v.Node.IsBool || v.Node.AsLong is >= 0 and < 100)) return null;
            if (d.FlagName.IsMatch(name) && d.FlagValue.IsMatch(t)) return null; // MYSQL_RANDOM_ROOT_PASSWORD: "1" switches a behaviour on
            if (t.Contains(' ') && t.Split(' ').Length > 3) return null; // a sentence (a label, a hint), not a credential
            return new Verdict(t, $"gives the credential {name} a literal value", d.DevDefaults.Contains(t));
        }
        return null;
    }

    private static readonly Regex Assignment = new(@"^\s*(?<key>[A-Za-z][A-Za-z0-9_.-]*)\s*(?:=|:(?=\s))\s*(?<value>.*?)\s*$", RegexOptions.CultureInvariant, Limits.RegexTimeout);

    /// <summary>key = value / key: value lines of a config file whose key names a credential and whose value is a literal.</summary>
    private static IEnumerable<(int Line, string Key, string Secret)> FileAssignments(string text)
    {
        var d = Data.Value;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length && i < 5000; i++)
        {
            var m = Assignment.Match(SafeRegex.Bound(lines[i]));
            if (!m.Success) continue;
            var key = m.Groups["key"].Value;
            if (!d.SecretName.IsMatch(key) || d.NotSecretName.IsMatch(key)) continue;
            if (d.FlagName.IsMatch(key) && d.FlagValue.IsMatch(m.Groups["value"].Value.Trim().Trim('"', '\''))) continue;
            var value = m.Groups["value"].Value;
            var hash = value.IndexOf(" #", StringComparison.Ordinal);
            if (hash >= 0) value = value[..hash].TrimEnd();
            value = value.Trim('"', '\'');
            if (value.Length < 4 || value[0] is '{' or '[' or '&' or '*' or '!' or '|' or '>' or '#' or ';') continue;
            if (IsReference(value) || d.Reference.IsMatch(value) || Placeholders.Any(value) != null || d.Example.IsMatch(value) || d.DevDefaults.Contains(value)) continue;
            if (value.Contains(' ') || value is "true" or "false" or "null" or "none" || value.All(char.IsDigit)) continue;
            yield return (i, key, value);
        }
    }

    private static bool IsReference(string s) =>
        s.Contains("$(", StringComparison.Ordinal) || s.Contains("${", StringComparison.Ordinal) || s.Contains("{{", StringComparison.Ordinal)
        || s.StartsWith('%') || s.StartsWith('<') || s.All(ch => ch is '*' or 'x' or 'X' or '.' or '#');

    private static string PrivateKeyBlock(string value, int start)
    {
        var end = value.IndexOf("-----END", start, StringComparison.Ordinal);
        if (end < 0) return value[start..];
        var close = value.IndexOf("-----", end + 8, StringComparison.Ordinal);
        return close < 0 ? value[start..] : value[start..(close + 5)];
    }
}
