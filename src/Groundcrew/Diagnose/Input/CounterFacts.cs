using System.Globalization;
using System.Text.RegularExpressions;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Facts that a component only logs as counters, never as an error sentence. The Amazon VPC CNI's ipamd logs its
/// pool every few seconds (`IP pool stats: total = 10, used = 10`, `IP stats for Network Card 0 - total IPs: 28,
/// assigned IPs: 28, cooldown IPs: 0`, in plain or JSON logs); when the newest line for a network card leaves no IP
/// free (total minus assigned minus cooling down), new pods on that node cannot get an address. Each such line becomes
/// a <see cref="ObservationKind.Counter"/> fact a signature can match with `counter: [vpc-cni-no-free-ip]`.
/// </summary>
internal static partial class CounterFacts
{
    public const string VpcCniNoFreeIp = "vpc-cni-no-free-ip";

    public static IEnumerable<Observation> Read(string source, IReadOnlyList<string> lines)
    {
        // The newest pool line per network card decides: an exhausted pool that recovered is not the failure.
        var newest = new Dictionary<string, (int Line, int Total, int Assigned, int Cooldown)>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length > 4000) continue; // one pathological line must not slow the run; ipamd lines are short
            var m = PoolStats().Match(lines[i]);
            if (!m.Success) continue;
            var cooldown = m.Groups["cooldown"].Success ? m.Groups["cooldown"] : m.Groups["cooldownPair"];
            if (!TryInt(m.Groups["total"], out var total) || !TryInt(m.Groups["assigned"], out var assigned)) continue;
            TryInt(cooldown, out var cool);
            newest[m.Groups["card"].Success ? m.Groups["card"].Value : "0"] = (i + 1, total, assigned, cool);
        }
        foreach (var (card, s) in newest.OrderBy(p => p.Value.Line))
        {
            var available = s.Total - s.Assigned - s.Cooldown;
            if (available > 0) continue;
            yield return new Observation(ObservationKind.Counter, source, s.Line, $"aws-node ipamd network card {card}", VpcCniNoFreeIp, null,
                $"ipamd pool: total IPs {s.Total}, assigned {s.Assigned}, cooling down {s.Cooldown}, available {available}");
        }
    }

    private static bool TryInt(Group g, out int value)
    {
        value = 0;
        return g.Success && int.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"\b(?:IP pool stats|IP(?:/Prefix)? Address Pool stats|IP stats)(?: for [Nn]etwork [Cc]ard (?<card>\d{1,3}))?[: -]+[Tt]otal(?: IPs(?:/Prefixes)?)?\s*[:=]\s*(?<total>\d{1,7})(?:/\d{1,7})?,\s*(?:used|assigned(?: IPs)?|AssignedIPs/CooldownIPs)\s*[:=]\s*(?<assigned>\d{1,7})(?:/(?<cooldownPair>\d{1,7}))?(?:,\s*cooldown ?IPs\s*:\s*(?<cooldown>\d{1,7}))?",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PoolStats();
}
