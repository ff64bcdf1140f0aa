using System.Diagnostics;
using CsCheck;
using FluentAssertions;
using Groundcrew.Load.Npm;
using Groundcrew.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Groundcrew.Tests.Properties;

/// <summary>
/// The semver range matcher against node-semver itself (npm's own implementation, installed in tests/oracles by
/// .ci/run): generated ranges (caret, tilde, x-ranges, hyphen ranges, comparators, unions, prereleases) and versions,
/// asked of both in one node process. Required in CI; elsewhere skipped with a message when node or the package is absent.
/// </summary>
public class SemverOracleProperties(ITestOutputHelper output)
{
    private static readonly Gen<string> Part = Gen.OneOf("0", "1", "2", "3", "10", "x", "*");
    private static readonly Gen<string> Pre = Gen.OneOf("", "", "", "-alpha", "-beta.2", "-0", "-rc.1");
    private static readonly Gen<string> Version = Gen.Select(Gen.OneOf("0", "1", "2", "3", "10"), Gen.OneOf("0", "1", "2", "3"), Gen.OneOf("0", "1", "2", "5"), Pre,
        (a, b, c, p) => $"{a}.{b}.{c}{p}");
    private static readonly Gen<string> Partial = Gen.Select(Part, Part, Part, Gen.Int[1, 3], Pre,
        (a, b, c, n, p) => n switch { 1 => a, 2 => $"{a}.{b}", _ => $"{a}.{b}.{c}" + (p.Length > 0 && c is not ("x" or "*") && b is not ("x" or "*") && a is not ("x" or "*") ? p : "") });
    private static readonly Gen<string> Comparator = Gen.Select(Gen.OneOf("", "^", "~", ">", ">=", "<", "<=", "=", "v"), Partial, (op, v) => op + v);
    private static readonly Gen<string> Set = Gen.OneOf<string>(
        Comparator,
        Gen.Select(Comparator, Comparator, (a, b) => $"{a} {b}"),
        Gen.Select(Partial, Partial, (a, b) => $"{a} - {b}"));
    private static readonly Gen<string> Range = Gen.OneOf<string>(Set, Gen.Select(Set, Set, (a, b) => $"{a} || {b}"));

    [Fact]
    public void Range_matching_agrees_with_node_semver()
    {
        var oracle = Path.Combine(Repo.Root, "tests", "oracles", "node_modules", "semver");
        if (!Directory.Exists(oracle))
        {
            Environment.GetEnvironmentVariable("CI").Should().NotBe("true", "CI installs node-semver (npm ci --prefix tests/oracles)");
            output.WriteLine($"SKIPPED: {oracle} is absent (npm ci --prefix tests/oracles)");
            return;
        }
        (string, string)[] cases = [];
        Gen.Select(Range, Version).Array[20000].Sample(generated => cases = generated, iter: 1, threads: 1);
        var ours = cases.Select(c => SemverRange.Parse(c.Item1) is { } r ? (bool?)r.IsSatisfiedBy(c.Item2) : null).ToArray();
        var theirs = AskNode(oracle, cases);
        var disagreements = new List<string>();
        for (var i = 0; i < cases.Length; i++)
        {
            // node-semver's satisfies() is false for a range it cannot parse; ours says "not a range" (null).
            if (theirs[i] is not { } t || (ours[i] ?? false) == t) continue;
            disagreements.Add($"{cases[i].Item2} in \"{cases[i].Item1}\": node-semver {t}, Groundcrew {(ours[i]?.ToString() ?? "not a range")}");
        }
        output.WriteLine($"{cases.Length} cases, {theirs.Count(t => t == true)} satisfied according to node-semver, {disagreements.Count} disagreements");
        theirs.Count(t => t == true).Should().BeGreaterThan(100, "the generator must produce matches too");
        disagreements.Should().BeEmpty();
    }

    private static bool?[] AskNode(string oracle, (string Range, string Version)[] cases)
    {
        var input = Path.GetTempFileName();
        File.WriteAllText(input, new JArray(cases.Select(c => new JArray(c.Range, c.Version))).ToString());
        var script = "const s=require(process.argv[1]);const c=JSON.parse(require('fs').readFileSync(process.argv[2],'utf8'));" +
                     "console.log(JSON.stringify(c.map(([r,v])=>{try{return s.validRange(r)===null?null:s.satisfies(v,r)}catch(e){return null}})))";
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-e", script, oracle, input }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit(60_000).Should().BeTrue();
        File.Delete(input);
        p.ExitCode.Should().Be(0, p.StandardError.ReadToEnd());
        return JArray.Parse(stdout).Select(t => t.Type == JTokenType.Null ? (bool?)null : t.Value<bool>()).ToArray();
    }
}
