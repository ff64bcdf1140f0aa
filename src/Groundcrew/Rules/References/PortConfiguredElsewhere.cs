using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// Whether a pod template tells its process to listen on a port without declaring it as a containerPort: the number in
/// the container's command or args (`--port 18080`, `--grpc=17070`, `-listen=:9090`), in an env value (`PORT=8081`,
/// `0.0.0.0:5317`), or after `:`/`=`/`port`/`listen` in a ConfigMap the pod mounts or reads with envFrom
/// (`endpoint: 0.0.0.0:5317`, `port = 8443`). containerPort is informational (the kubelet does not open or check it), so
/// such a port is served although no container lists it. Seen in the corpus: Istio's echo app (`--port 18080`), the
/// OpenTelemetry collector and SPIRE server (ports set in their mounted config).
/// </summary>
internal static class PortConfiguredElsewhere
{
    public static bool Mentions(DeploymentModel model, Resource owner, long port)
    {
        if (Workload.From(owner) is not { } w) return false;
        var text = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var c in w.Containers)
        {
            foreach (var key in new[] { "command", "args" })
                foreach (var item in c.Node.GetSeq(key)?.Items ?? [])
                    if (item is ScalarNode { Value: { } v } && (v == text || InContext(v, text))) return true;
            foreach (var env in c.Node.GetSeq("env")?.Maps ?? [])
                if (env.GetString("value") is { } v && (v == text || InContext(v, text))) return true;
            foreach (var from in c.Node.GetSeq("envFrom")?.Maps ?? [])
                if (from.GetMap("configMapRef")?.GetString("name") is { } cm && ConfigMapMentions(model, owner.Namespace, cm, text)) return true;
        }
        foreach (var volume in w.PodSpec.GetSeq("volumes")?.Maps ?? [])
        {
            if (volume.GetMap("configMap")?.GetString("name") is { } cm && ConfigMapMentions(model, owner.Namespace, cm, text)) return true;
            foreach (var source in volume.GetMap("projected")?.GetSeq("sources")?.Maps ?? [])
                if (source.GetMap("configMap")?.GetString("name") is { } pcm && ConfigMapMentions(model, owner.Namespace, pcm, text)) return true;
        }
        return false;
    }

    private static bool ConfigMapMentions(DeploymentModel model, string? ns, string name, string port)
    {
        // Every ConfigMap of that identity, not only the one Find keeps: a folder of samples may hold two copies.
        foreach (var cm in model.OfKind("ConfigMap"))
        {
            if (cm.Name != name || cm.Namespace != ns || cm.Body.GetMap("data") is not { } data) continue;
            foreach (var e in data.Entries)
                if (e.Value is ScalarNode { Value: { } v } && (v == port || InContext(v, port))) return true;
        }
        return false;
    }

    /// <summary>
    /// The number as a whole number (not part of a longer number, a version or an address octet) right after `:` or `=`
    /// (quotes and spaces between allowed), or after a word ending in "port" or "listen" (`--port 18080`, `listen 8080;`).
    /// </summary>
    internal static bool InContext(string text, string port)
    {
        for (var i = text.IndexOf(port, StringComparison.Ordinal); i >= 0; i = text.IndexOf(port, i + 1, StringComparison.Ordinal))
        {
            var end = i + port.Length;
            if (i > 0 && (char.IsAsciiDigit(text[i - 1]) || text[i - 1] == '.')) continue;
            if (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1]))) continue;
            var j = i - 1;
            while (j >= 0 && text[j] is ' ' or '\t' or '"' or '\'') j--;
            if (j < 0) continue;
            if (text[j] is ':' or '=') return true;
            var wordEnd = j + 1;
            while (j >= 0 && (char.IsAsciiLetter(text[j]) || text[j] == '_')) j--;
            var word = text[(j + 1)..wordEnd];
            if (word.EndsWith("port", StringComparison.OrdinalIgnoreCase) || word.EndsWith("listen", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
