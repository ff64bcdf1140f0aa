using System.Text;
using System.Text.RegularExpressions;

namespace Groundcrew.Core;

/// <summary>
/// Which names hold a credential and which values are worth masking, from Data/credentials.yaml (the same tables the
/// plaintext-credential rule judges by). Names are compared in their snake form, so <c>dbPassword</c>, <c>DB_PASSWORD</c>
/// and <c>db.password</c> read alike.
/// </summary>
public static class SecretNames
{
    private sealed record Tables(SafeRegex SecretName, SafeRegex NotSecretName, SafeRegex ErrorCodeName, SafeRegex Reference, SafeRegex Example, HashSet<string> DevDefaults);

    private static readonly Lazy<Tables> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("credentials.yaml");
        // Linear engine: these run over text quoted from hostile logs and files.
        SafeRegex R(string key) => new(y.GetString(key) ?? throw new InvalidDataException($"credentials.yaml: missing {key}"),
            RegexOptions.CultureInvariant);
        return new Tables(R("secretNamePattern"), R("notSecretNamePattern"), R("errorCodeNamePattern"), R("referenceValuePattern"), R("exampleMarker"),
            (y.GetSeq("devDefaults")?.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>() ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase));
    });

    /// <summary>
    /// The name of an env var, data key or config key that holds a credential (DB_PASSWORD, apiKey, client_secret), not one
    /// about a credential (SECRET_NAME, tokenPath, secretKeyRef). The bare word "secret" is not one: in Kubernetes and
    /// diagnose texts (<c>secret: db</c>) it names a Secret object.
    /// </summary>
    public static bool IsSecretName(string name)
    {
        if (name.Length == 0 || name.Length > 128) return false;
        // The same few hundred keys (name, image, DB_PASSWORD) are asked about for every resource by the redactor's walk
        // and several rules: each answer is a string and two regex runs.
        return Answers.Get(name);
    }

    private static readonly BoundedCache<bool> Answers = new(Judge);

    private static bool Judge(string name)
    {
        var snake = Snake(name.Trim('"', '\''));
        if (snake.Equals("secret", StringComparison.OrdinalIgnoreCase) || snake.Equals("secrets", StringComparison.OrdinalIgnoreCase)) return false;
        var t = Data.Value;
        return t.SecretName.IsMatch(snake) && !t.NotSecretName.IsMatch(snake) && !t.ErrorCodeName.IsMatch(snake);
    }

    /// <summary>A value that may be a credential: not empty, not a reference (${X}, arn:, a path), not a placeholder or a public default.</summary>
    public static bool LooksLikeSecretValue(string value)
    {
        var v = value.Trim();
        if (v.Length < 4 || v.StartsWith(Redactor.Mask, StringComparison.Ordinal)) return false;
        if (v.Contains("${", StringComparison.Ordinal) || v.Contains("$(", StringComparison.Ordinal) || v.Contains("{{", StringComparison.Ordinal)) return false;
        var t = Data.Value;
        if (t.Reference.IsMatch(v) || IsPublicDefault(v)) return false;
        return !(v.Length <= 24 && t.Example.IsMatch(v));
    }

    /// <summary>A publicly known development default (password, admin, postgres...): not a secret, and masking it would scrub common words.</summary>
    public static bool IsPublicDefault(string value) => Data.Value.DevDefaults.Contains(value);

    /// <summary>dbPassword -> db_Password; API-KEY stays; camel humps become underscores so the data patterns see the words.</summary>
    private static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            if (i > 0 && char.IsUpper(ch) && char.IsLower(name[i - 1])) sb.Append('_');
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
