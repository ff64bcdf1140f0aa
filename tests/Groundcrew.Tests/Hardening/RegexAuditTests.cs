using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Core;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>
/// Every pattern in the engine, run over hostile text (long runs of one character, and of the pieces patterns look
/// for): none may time out or take long. A pattern that fails here is quadratic or worse on input a repository controls.
/// </summary>
public class RegexAuditTests
{
    private const int Length = 20_000;

    private static readonly string[] Pieces = ["a", "A", "0", " ", "-", "_", ":", "/", "a:", "://", "@", "a@", "x.", "${", "{{", "$(", "arn:", "__A", "@A",
        "your-", "REPLACE_", "<your ", "eyJ", "ghp_", "--a ", "a=", "\"a\":", "\\\"", ".dkr.ecr.", "docker ", "-----BEGIN ", "sk-", "AKIA", "a.sh ", "`"];

    private static IEnumerable<(string Name, Regex Regex)> GeneratedPatterns() =>
        typeof(Redactor).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(m => m.GetCustomAttribute<GeneratedRegexAttribute>() != null && m.GetParameters().Length == 0)
            .Select(m => ($"{m.DeclaringType!.Name}.{m.Name}", (Regex)m.Invoke(null, null)!))
            // A SafeRegex's generated quick engine times out within the quick budget by design (the SafeRegex then moves
            // to the linear engine): it is audited through its SafeRegex field below, as the code runs it.
            .Where(p => p.Item2.MatchTimeout != Limits.QuickRegexBudget);

    // The engine's own fixed patterns that run quick-then-linear (SafeRegex), read from their static fields, and the
    // build-file command patterns (word boundaries matched as characters, see ShellPattern).
    private static IEnumerable<(string Name, SafeRegex Regex)> SafePatterns() =>
        typeof(Redactor).Assembly.GetTypes()
            .Where(t => !t.ContainsGenericParameters)
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(f => f.FieldType == typeof(SafeRegex) || f.FieldType == typeof(Groundcrew.Load.Builds.ShellPattern))
            .Select(f => ($"{f.DeclaringType!.Name}.{f.Name}", f.GetValue(null) is Groundcrew.Load.Builds.ShellPattern shell ? shell.Pattern : (SafeRegex)f.GetValue(null)!));

    [Fact]
    public void No_generated_pattern_is_slow_on_hostile_text()
    {
        var slow = new List<string>();
        var patterns = GeneratedPatterns().ToList();
        patterns.Should().HaveCountGreaterThan(40, "the audit must see the engine's patterns");
        foreach (var (name, regex) in patterns)
            foreach (var piece in Pieces)
            {
                var text = string.Concat(Enumerable.Repeat(piece, Length / piece.Length));
                var clock = Stopwatch.StartNew();
                try { _ = regex.Matches(text).Count; }
                catch (RegexMatchTimeoutException) { slow.Add($"{name} timed out on '{piece}'x"); continue; }
                // Linear patterns take milliseconds to a few hundred on a loaded machine; the quadratic ones took seconds to minutes.
                if (clock.Elapsed > TimeSpan.FromSeconds(2)) slow.Add($"{name} took {clock.ElapsedMilliseconds} ms on '{piece}'x");
            }
        slow.Should().BeEmpty();
    }

    [Fact]
    public void No_quick_then_linear_pattern_is_slow_on_hostile_text()
    {
        var slow = new List<string>();
        var patterns = SafePatterns().ToList();
        patterns.Select(p => p.Name).Should().Contain(["Redactor.KnownToken", "Placeholders.Arn", "BuildCommands.BuildVerb", "BuildCommands.ForLoop"],
            "the audit must see the engine's patterns");
        foreach (var (name, regex) in patterns)
            foreach (var piece in Pieces)
            {
                var text = string.Concat(Enumerable.Repeat(piece, Length / piece.Length));
                var clock = Stopwatch.StartNew();
                try { _ = regex.Matches(text).Count; }
                catch (RegexMatchTimeoutException) { slow.Add($"{name} timed out on '{piece}'x"); continue; }
                if (clock.Elapsed > TimeSpan.FromSeconds(2)) slow.Add($"{name} took {clock.ElapsedMilliseconds} ms on '{piece}'x");
            }
        slow.Should().BeEmpty();
    }
}

/// <summary>The rule-level case: values of ~100k repeated characters near credential and placeholder patterns.</summary>
public class HostileValueTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("a:")]
    [InlineData("x://u:")]
    [InlineData("your-")]
    [InlineData("__A_")]
    [InlineData("@A.")]
    [InlineData("REPLACE_")]
    [InlineData("eyJaaaaaaaa.")]
    [InlineData("-----BEGIN ")]
    public void Huge_repeated_values_give_no_internal_error_and_finish(string piece)
    {
        var value = string.Concat(Enumerable.Repeat(piece, 100_000 / piece.Length));
        var clock = Stopwatch.StartNew();

        var result = Groundcrew.Tests.Support.Scan.Files(
            ("cm.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n  DB_PASSWORD: \"{value}\"\n  note: \"{value}\"\n  cfg: |\n    password = {value}\n"),
            ("deploy.yaml", $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  selector: {{matchLabels: {{app: d}}}}\n  template:\n    metadata: {{labels: {{app: d}}}}\n    spec:\n      containers:\n      - name: d\n        image: nginx:1\n        env:\n        - {{name: API_TOKEN, value: \"{value}\"}}\n        - {{name: URL, value: \"{value}\"}}\n        args: [\"{value}\"]\n"));

        result.Findings.Where(f => f.RuleId == "internal-error").Select(f => f.Message).Should().BeEmpty();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Diagnose_signatures_never_give_up_on_a_hostile_log()
    {
        var log = string.Join("\n", new[] { "a", "Error: ", "x://", "secret \"", "exec ", "    at " }.Select(p => string.Concat(Enumerable.Repeat(p, 100_000 / p.Length))));

        var report = Groundcrew.Diagnose.DiagnoseRun.Run(new Groundcrew.Diagnose.Input.InputDocument("hostile.log", log));

        report.Problems.Select(p => p.Message).Should().NotContain(m => m.Contains("gave up"));
    }
}
