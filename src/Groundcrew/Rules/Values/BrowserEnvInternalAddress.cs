using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Rules.Values;

/// <summary>
/// Browser-exposed config (VITE_*, NEXT_PUBLIC_*, REACT_APP_*, ...) pointing at an address only the cluster can resolve:
/// a bare Service name (http://backend:5000), *.svc, *.svc.cluster.local. The value runs in the user's browser, which
/// cannot resolve cluster DNS. Loopback (localhost) is a warning: it works only when the browser runs on the same machine.
/// </summary>
public sealed partial class BrowserEnvInternalAddress : Rule
{
    public override string Title => "Browser-exposed config points at a cluster-internal address";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "API calls failing from every real browser (`net::ERR_NAME_NOT_RESOLVED`) while the pods look healthy (incident B2)";
    public override string Fix => "Point the browser at a public URL (the Ingress/load balancer host) or a relative path such as /api that the frontend's own server proxies to the Service.";
    public override IReadOnlyList<string> Incidents => ["B2"];

    // scheme://host[:port] or host:port at the start of the value.
    [GeneratedRegex(@"^\s*(?:(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://)?(?<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+)(?<port>:\d{1,5})?(?<rest>[/?#].*)?\s*$")]
    private static partial Regex Address();

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var exposed = BrowserEnv.Matcher(context.Config);
        foreach (var v in DeployValues.All(context.Model))
        {
            if (v.Site is not (ValueSite.EnvValue or ValueSite.ConfigMapData) || v.IsMultiLine || !exposed(v.Name)) continue;
            var m = Address().Match(v.Value);
            if (!m.Success) continue;
            var hasScheme = m.Groups["scheme"].Success;
            var scheme = m.Groups["scheme"].Value.ToLowerInvariant();
            if (hasScheme && scheme is not ("http" or "https" or "ws" or "wss")) continue;
            var host = m.Groups["host"].Value.TrimEnd('.');
            var hasPort = m.Groups["port"].Success;
            // Without a scheme only host:port counts as an address: a bare word is a feature flag, a name, a mode.
            if (!hasScheme && !hasPort) continue;
            var lower = host.ToLowerInvariant();
            if (BrowserEnv.IsLoopback(lower))
            {
                var f = At(v.Node, $"{v.Describe} points the browser at {host}, which in a browser is the user's own machine: this works only on a developer machine with a port-forward, not for anyone using the deployed site");
                yield return f with { Severity = Severity.Warning };
                continue;
            }
            var suffix = BrowserEnv.InternalSuffixes.FirstOrDefault(s => lower.EndsWith(s, StringComparison.Ordinal));
            if (suffix != null)
            {
                yield return At(v.Node, $"{v.Describe} points the browser at {host}, a cluster/VPC-internal name ({suffix}) that browsers cannot resolve");
                continue;
            }
            if (!lower.Contains('.') && !lower.StartsWith('[') && !lower.All(char.IsDigit) && IsDnsLabel(lower))
                yield return At(v.Node, $"{v.Describe} points the browser at '{host}', a single-label host name that only cluster DNS resolves (a Service name); browsers outside the cluster cannot reach it");
        }
    }

    private static bool IsDnsLabel(string s) => s.Length is > 0 and <= 63 && s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-') && s[0] != '-' && s[^1] != '-';
}
