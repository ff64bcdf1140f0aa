using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>
/// What the model knows about a Secret or ConfigMap's keys, whoever provides it: the object itself,
/// or a controller that will create it (ExternalSecret, SealedSecret). Keys are null when they cannot be known.
/// </summary>
public sealed record KeyProvider(Resource Source, HashSet<string>? Keys)
{
    public static IEnumerable<(string Kind, string Name, KeyProvider Provider)> From(Resource r)
    {
        switch (r.Kind)
        {
            case "Secret":
                yield return ("Secret", r.Name, new KeyProvider(r, KeysOf(r.Body, "data", "stringData")));
                break;
            case "ConfigMap":
                yield return ("ConfigMap", r.Name, new KeyProvider(r, KeysOf(r.Body, "data", "binaryData")));
                break;
            case "ExternalSecret" when r.ApiVersion?.StartsWith("external-secrets.io", StringComparison.Ordinal) == true:
            {
                // external-secrets.io: spec.target.name (default: the ExternalSecret's name); keys from spec.data[].secretKey,
                // unknown when dataFrom or a template is used.
                var spec = r.Spec;
                var name = spec?.GetMap("target")?.GetString("name") ?? r.Name;
                HashSet<string>? keys = null;
                if (spec?["dataFrom"] == null && spec?.GetMap("target")?["template"] == null)
                    keys = (spec?.GetSeq("data")?.Maps ?? []).Select(m => m.GetString("secretKey")).OfType<string>().ToHashSet(StringComparer.Ordinal);
                yield return ("Secret", name, new KeyProvider(r, keys));
                break;
            }
            case "SealedSecret":
            {
                var spec = r.Spec;
                var name = spec?.GetMap("template")?.GetMap("metadata")?.GetString("name") ?? r.Name;
                var keys = spec?.GetMap("encryptedData")?.Entries.Select(e => e.Key.Value ?? "").ToHashSet(StringComparer.Ordinal);
                yield return ("Secret", name, new KeyProvider(r, keys));
                break;
            }
        }
    }

    private static HashSet<string> KeysOf(MapNode body, params string[] sections)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sections)
            foreach (var e in body.GetMap(s)?.Entries ?? [])
                if (e.Key.Value != null) keys.Add(e.Key.Value);
        return keys;
    }
}
