using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Rules.Images;

/// <summary>
/// A parsed container image reference (distribution/reference grammar): [domain[:port]/]path[:tag][@digest].
/// <see cref="Error"/> says, in Docker's terms, why the runtime would reject it.
/// </summary>
public sealed record ImageReference(string Raw, string? Domain, string Path, string? Tag, string? Digest, string? Error)
{
    public bool IsValid => Error == null;
    /// <summary>The registry the runtime pulls from: the domain, or docker.io when none is named.</summary>
    public string Registry => Domain ?? Grammar.Value.DefaultRegistry;
    public string Repository => Domain == null ? Path : Domain + "/" + Path;

    private sealed record Tables(Regex PathComponent, Regex DomainComponent, Regex Ipv6, Regex Port, Regex Tag, Regex Digest,
        Dictionary<string, int> DigestLengths, int NameMax, string DefaultRegistry);

    private static readonly Lazy<Tables> Grammar = new(() =>
    {
        var y = DataFiles.ReadYaml("image-reference.yaml");
        Regex R(string key) => new(y.GetString(key) ?? throw new InvalidDataException($"image-reference.yaml: missing {key}"), RegexOptions.CultureInvariant);
        return new Tables(R("pathComponent"), R("domainComponent"), R("ipv6Host"), R("port"), R("tag"), R("digest"),
            (y.GetMap("digestLengths")?.Entries ?? []).Where(e => e.Value is ScalarNode { AsLong: not null })
                .ToDictionary(e => e.Name, e => (int)((ScalarNode)e.Value).AsLong!.Value, StringComparer.Ordinal),
            (int)((y["nameMaxLength"] as ScalarNode)?.AsLong ?? 255), y.GetString("defaultRegistry") ?? "docker.io");
    });

    public static ImageReference Parse(string raw)
    {
        ImageReference Bad(string why) => new(raw, null, raw, null, null, why);
        var g = Grammar.Value;
        if (raw.Length == 0 || raw.Trim().Length == 0) return Bad("the image is empty");
        if (raw != raw.Trim()) return Bad("it has leading or trailing whitespace");
        foreach (var ch in raw)
            if (char.IsWhiteSpace(ch)) return Bad("it contains whitespace");

        // normalize.go ParseNormalizedNamed: a bare 64-hex string is an image ID, refused as a name ("cannot specify
        // 64-byte hexadecimal strings"); the runtime then fails with `invalid reference format`.
        if (raw.Length == 64 && raw.All(char.IsAsciiHexDigitLower))
            return Bad("a bare 64-character hexadecimal string is an image ID, not a repository name (cannot specify 64-byte hexadecimal strings)");

        var s = raw;
        string? digest = null;
        var at = s.IndexOf('@');
        if (at >= 0)
        {
            digest = s[(at + 1)..];
            s = s[..at];
            if (digest.Contains('@')) return Bad("it has more than one '@'");
            if (!g.Digest.IsMatch(digest)) return Bad($"digest '{digest}' is not ALGORITHM:HEX (e.g. sha256: and 64 hex digits)");
            var algo = digest[..digest.IndexOf(':')];
            if (g.DigestLengths.TryGetValue(algo, out var len) && digest.Length - algo.Length - 1 != len)
                return Bad($"a {algo} digest has exactly {len} hex digits, this one has {digest.Length - algo.Length - 1}");
            if (s.Length == 0) return Bad("there is no repository name before the digest");
        }

        string? tag = null;
        var lastColon = s.LastIndexOf(':');
        var lastSlash = s.LastIndexOf('/');
        if (lastColon > lastSlash)
        {
            tag = s[(lastColon + 1)..];
            s = s[..lastColon];
            if (tag.Length == 0) return Bad("the tag after ':' is empty");
            if (tag.Length > 128) return Bad($"the tag is {tag.Length} characters; at most 128 are allowed");
            if (!g.Tag.IsMatch(tag)) return Bad($"tag '{tag}' has characters a tag cannot have (letters, digits, '_', '.', '-'; not starting with '.' or '-')");
        }
        if (s.Length == 0) return Bad("there is no repository name");

        string? domain = null;
        var firstSlash = s.IndexOf('/');
        if (firstSlash >= 0)
        {
            var first = s[..firstSlash];
            // distribution/reference's splitDockerDomain: a first component with '.', ':', "localhost" or any uppercase
            // letter is a registry host (`LOCALDOMAIN/debian` is valid: host LOCALDOMAIN), since repository paths are lowercase.
            if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.ToLowerInvariant() != first)
            {
                domain = first;
                s = s[(firstSlash + 1)..];
                if (DomainProblem(domain, g) is { } why) return Bad(why);
            }
        }
        if (s.Length == 0) return Bad("there is no repository path after the registry");
        if (domain == null && s.Contains(':') && tag != null) return Bad("it has more than one tag (':' appears twice)");
        // Every image of a scan is parsed by several rules: the components are read as spans, strings made only to report.
        foreach (var range in s.AsSpan().Split('/'))
        {
            var component = s.AsSpan(range);
            if (component.Length == 0) return Bad("it has an empty path component ('//' or a trailing '/')");
            if (component.ContainsAnyExceptInRange((char)0, (char)0x7F) || component.ContainsAnyInRange('A', 'Z'))
            {
                var text = component.ToString();
                if (text.ToLowerInvariant() != text && g.PathComponent.IsMatch(text.ToLowerInvariant()))
                    return Bad("repository name must be lowercase");
            }
            if (component.Contains(':')) return Bad("it has more than one tag (':' appears twice)");
            if (!g.PathComponent.IsMatch(component))
                return Bad($"path component '{component}' is not lowercase letters and digits joined by '.', '_', '__' or '-'");
        }
        var nameLength = (domain == null ? 0 : domain.Length + 1) + s.Length;
        if (nameLength > g.NameMax) return Bad($"the repository name is {nameLength} characters; at most {g.NameMax} are allowed");
        return new ImageReference(raw, domain, s, tag, digest, null);
    }

    private static string? DomainProblem(string domain, Tables g)
    {
        var host = domain;
        var portAt = domain.StartsWith('[') ? domain.IndexOf("]:", StringComparison.Ordinal) + 1 : domain.LastIndexOf(':');
        if (portAt > 0 && portAt < domain.Length && domain[portAt] == ':')
        {
            var port = domain[(portAt + 1)..];
            host = domain[..portAt];
            if (!g.Port.IsMatch(port)) return $"registry port '{port}' is not a number";
        }
        if (host.StartsWith('[')) return g.Ipv6.IsMatch(host) ? null : $"registry host '{host}' is not a valid IPv6 address";
        foreach (var part in host.AsSpan().Split('.'))
            if (!g.DomainComponent.IsMatch(host.AsSpan(part))) return $"registry host '{host}' is not a valid host name";
        return null;
    }
}
