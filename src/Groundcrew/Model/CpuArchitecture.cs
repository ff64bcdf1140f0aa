using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>The CPU architectures an image can be built for and a machine can run (Go/OCI names).</summary>
[Flags]
public enum CpuArch
{
    Unknown = 0,
    Amd64 = 1,
    Arm64 = 2,
}

/// <summary>Names, parsing and the naming facts of Data/architecture/architectures.yaml.</summary>
public static partial class CpuArchitectures
{
    public static string Name(CpuArch arch) => arch switch
    {
        CpuArch.Amd64 => "amd64",
        CpuArch.Arm64 => "arm64",
        CpuArch.Amd64 | CpuArch.Arm64 => "amd64+arm64",
        _ => "unknown",
    };

    /// <summary>amd64/x86_64/x64 or arm64/aarch64 (also inside linux/arm64/v8); Unknown otherwise.</summary>
    public static CpuArch Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return CpuArch.Unknown;
        var t = text.Trim().ToLowerInvariant();
        var slash = t.IndexOf('/');
        if (slash >= 0 && t.StartsWith("linux/", StringComparison.Ordinal)) t = t[(slash + 1)..];
        var second = t.IndexOf('/');
        if (second >= 0) t = t[..second]; // arm64/v8
        return t switch
        {
            "amd64" or "x86_64" or "x86-64" or "x64" => CpuArch.Amd64,
            "arm64" or "aarch64" or "arm64v8" => CpuArch.Arm64,
            _ => CpuArch.Unknown,
        };
    }

    /// <summary>A comma-separated platform list (linux/amd64,linux/arm64): the union; Unknown when any entry is not a literal architecture.</summary>
    public static CpuArch ParsePlatforms(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return CpuArch.Unknown;
        var result = CpuArch.Unknown;
        foreach (var part in text.Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var a = Parse(part.Trim('"', '\'', '-'));
            if (a == CpuArch.Unknown) return CpuArch.Unknown;
            result |= a;
        }
        return result;
    }

    private sealed record Facts(HashSet<string> Arm64Families, string InstanceSource, string[] AmiArm, string[] AmiAmd, string AmiSource,
        Dictionary<string, CpuArch> EcsValues, CpuArch FargateDefault, string EcsSource, string FargateDefaultSource,
        List<(Groundcrew.Core.SafeRegex Label, CpuArch Arch)> Runners, string RunnerSource, string[] NodeLabels, string NodeLabelSource);

    private static readonly Lazy<Facts> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("architecture/architectures.yaml");
        var it = y.GetMap("instanceTypes")!;
        var ami = y.GetMap("amiTypes")!;
        var ecs = y.GetMap("ecs")!;
        var gh = y.GetMap("githubRunners")!;
        var kube = y.GetMap("kubernetes")!;
        static string[] Strings(MapNode m, string key) => m.GetSeq(key)?.Items.OfType<ScalarNode>().Select(s => s.Value ?? "").ToArray() ?? [];
        return new Facts(
            (it.GetSeq("arm64Families")?.Maps ?? []).Select(m => m.GetString("family") ?? "").ToHashSet(StringComparer.Ordinal),
            it.GetString("source") ?? "",
            Strings(ami, "arm64Contains"), Strings(ami, "amd64Contains"), ami.GetString("source") ?? "",
            (ecs.GetMap("values")?.Entries ?? []).ToDictionary(e => e.Name, e => Parse((e.Value as ScalarNode)?.Value), StringComparer.Ordinal),
            Parse(ecs.GetString("fargateDefault")), ecs.GetString("source") ?? "", ecs.GetString("fargateDefaultSource") ?? "",
            (gh.GetSeq("labels")?.Maps ?? []).Select(m => (Groundcrew.Core.SafeRegex.Create("^" + Regex.Escape(m.GetString("label") ?? "").Replace(@"\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), Parse(m.GetString("arch")))).ToList(),
            gh.GetString("source") ?? "",
            Strings(kube, "labels"), kube.GetString("source") ?? "");
    });

    public static string InstanceTypeSource => Data.Value.InstanceSource;
    public static string AmiTypeSource => Data.Value.AmiSource;
    public static string EcsSource => Data.Value.EcsSource;
    public static string FargateDefaultSource => Data.Value.FargateDefaultSource;
    public static CpuArch FargateDefault => Data.Value.FargateDefault;
    public static string RunnerSource => Data.Value.RunnerSource;
    public static IReadOnlyList<string> NodeArchLabels => Data.Value.NodeLabels;

    // FAMILY GENERATION ATTRIBUTES [-OPTIONS] [.SIZE]: m6g.large, c7gn.xlarge, is4gen.medium, u-6tb1.metal, mac2-m2pro.metal.
    [GeneratedRegex(@"^(?<family>[a-z]+?)(?<gen>\d+)(?<attrs>[a-z]*)(?:-[a-z0-9-]+)?(?:\.[a-z0-9-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceTypeName();

    /// <summary>The architecture of an EC2 instance type (or family: m6g, m6g.large, c7gn.xlarge); Unknown for text that is not an instance type name.</summary>
    public static CpuArch OfInstanceType(string? instanceType)
    {
        if (string.IsNullOrWhiteSpace(instanceType)) return CpuArch.Unknown;
        var t = instanceType.Trim().ToLowerInvariant();
        var m = InstanceTypeName().Match(t);
        if (!m.Success) return CpuArch.Unknown;
        var familyWithGen = m.Groups["family"].Value + m.Groups["gen"].Value;
        if (Data.Value.Arm64Families.Contains(familyWithGen)) return CpuArch.Arm64;
        return m.Groups["attrs"].Value.StartsWith('g') ? CpuArch.Arm64 : CpuArch.Amd64;
    }

    /// <summary>EKS node group amiType (AL2_ARM_64, AL2023_x86_64_STANDARD, BOTTLEROCKET_ARM_64...); Unknown for custom or unrecognized values.</summary>
    public static CpuArch OfAmiType(string? amiType)
    {
        if (string.IsNullOrWhiteSpace(amiType)) return CpuArch.Unknown;
        if (Data.Value.AmiArm.Any(a => amiType.Contains(a, StringComparison.Ordinal))) return CpuArch.Arm64;
        if (Data.Value.AmiAmd.Any(a => amiType.Contains(a, StringComparison.Ordinal))) return CpuArch.Amd64;
        return CpuArch.Unknown;
    }

    /// <summary>ECS runtimePlatform.cpuArchitecture (X86_64 / ARM64).</summary>
    public static CpuArch OfEcsCpuArchitecture(string? value) =>
        value != null && Data.Value.EcsValues.TryGetValue(value.Trim().ToUpperInvariant(), out var a) ? a : CpuArch.Unknown;

    /// <summary>The architecture of a GitHub Actions runner from its labels (any label that names one; conflicting labels are Unknown).</summary>
    public static CpuArch OfRunnerLabels(IEnumerable<string> labels)
    {
        var result = CpuArch.Unknown;
        foreach (var label in labels)
        {
            if (label.Contains("${{", StringComparison.Ordinal)) return CpuArch.Unknown;
            foreach (var (regex, arch) in Data.Value.Runners)
                if (regex.IsMatch(label)) { result |= arch; break; }
        }
        return result is CpuArch.Amd64 or CpuArch.Arm64 ? result : CpuArch.Unknown;
    }
}
