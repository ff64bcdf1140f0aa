using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>How app code came by the JSON it indexes.</summary>
public enum SecretOrigin
{
    /// <summary>Parsed straight from an environment variable: <c>json.loads(os.environ["X"])</c>, <c>JSON.parse(process.env.X)</c>.</summary>
    EnvValue,
    /// <summary>The SecretString of a GetSecretValue call whose SecretId is an environment variable's value.</summary>
    FetchedByEnvId,
}

/// <summary>The environment variable behind a parsed secret, and how it was used.</summary>
public sealed record SecretSource(SecretOrigin Origin, string EnvName);

/// <summary>A key read from JSON parsed from a secret: <c>secret["host"]</c>, <c>secret.get("dbname")</c>, <c>const { host } = secret</c>, <c>secret.host</c>.</summary>
public sealed record SecretKeyRead(SecretSource Source, string Key, SourceSpan Span, string Form, string Language);

/// <summary>A Secrets Manager GetSecretValue call whose SecretId is the value of environment variable <paramref name="EnvName"/>.</summary>
public sealed record SecretIdFromEnv(string EnvName, SourceSpan Span, string Api, string Language);

/// <summary>What the secret-flow extractors found in one file (or a whole app folder).</summary>
public sealed class SecretUses
{
    public List<SecretKeyRead> KeyReads { get; } = [];
    public List<SecretIdFromEnv> IdCalls { get; } = [];
    /// <summary>Module-level names bound to JSON parsed from a secret (`creds = json.loads(os.environ["X"])`): other modules may import them.</summary>
    public Dictionary<string, SecretSource> JsonExports { get; } = new(StringComparer.Ordinal);

    private readonly HashSet<string> _ambiguous = new(StringComparer.Ordinal);

    public void AddRange(SecretUses other)
    {
        KeyReads.AddRange(other.KeyReads);
        IdCalls.AddRange(other.IdCalls);
        // Two modules exporting the same name with different secrets: an import of it is not known.
        foreach (var (name, source) in other.JsonExports)
        {
            if (_ambiguous.Contains(name)) continue;
            if (JsonExports.TryGetValue(name, out var had) && had != source) { JsonExports.Remove(name); _ambiguous.Add(name); }
            else JsonExports[name] = source;
        }
    }
}
