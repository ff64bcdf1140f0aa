using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// <c>.env.example</c> / <c>.env.sample</c> / <c>.env.template</c> / <c>.env.dist</c> files: the keys an app documents.
/// A key with an empty value (<c>API_KEY=</c>) is a placeholder the operator must fill: required, with
/// <see cref="EnvCertainty.Inferred"/> certainty (example files also list optional keys without values).
/// A key with a value is an example default: optional.
/// </summary>
public static class DotEnvExample
{
    public static bool IsExampleFile(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name is ".env.example" or ".env.sample" or ".env.template" or ".env.dist" or ".env.defaults" or "example.env" or "sample.env" or ".env.local.example" or ".env.production.example";
    }

    public static List<EnvRead> Extract(string text, string file)
    {
        var reads = new List<EnvRead>();
        var lines = (text ?? "").Replace("\r\n", "\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            if (!TokenUtil.EnvName.IsMatch(key)) continue;
            var value = line[(eq + 1)..].Trim();
            // Drop an inline comment after an unquoted value.
            if (value.Length > 0 && value[0] is not ('"' or '\''))
            {
                var hash = value.IndexOf(" #", StringComparison.Ordinal);
                if (hash >= 0) value = value[..hash].Trim();
            }
            else if (value.Length >= 2 && value[^1] == value[0]) value = value[1..^1];
            var col = lines[n].IndexOf(key, StringComparison.Ordinal) + 1;
            var span = new SourceSpan(file, n + 1, Math.Max(1, col), n + 1, Math.Max(1, col) + key.Length);
            reads.Add(value.Length == 0
                ? new EnvRead(key, true, span, AppLanguages.DotEnv, "listed in the example env file with an empty value (a placeholder to fill)") { Certainty = EnvCertainty.Inferred }
                : new EnvRead(key, false, span, AppLanguages.DotEnv, "listed in the example env file with an example value"));
        }
        return reads;
    }
}
