using FluentAssertions;
using Groundcrew.Rules;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules;

/// <summary>
/// The Polaris-style contract every rule keeps: beside its tests, a `fail/` fixture folder on which the rule
/// fires and a `pass/` folder on which it stays silent. `fail/expect.txt` lists `path:line` (one per line)
/// where a finding of the rule must point, so positions are tested too. A `.groundcrew.yaml` inside a
/// fixture folder is used as its config. A `.base/` folder inside a fixture holds the files as they were at a
/// base revision: the fixture is then replayed into a git repository and scanned with --base (see GitRepo.ScanFixture).
/// </summary>
public class RuleFixtureTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var r in RuleRegistry.Rules.Where(r => r.Enabled)) data.Add(r.Id);
        return data;
    }

    private static string FixtureDir(Rule rule, string kind) =>
        Path.Combine(Scan.TestRoot, "Rules", rule.GetType().Name, kind);

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_fires_on_its_failing_fixture_at_the_expected_lines(string id)
    {
        var rule = RuleRegistry.Find(id)!;
        var dir = FixtureDir(rule, "fail");
        Directory.Exists(dir).Should().BeTrue($"rule {id} needs a failing fixture in tests/Groundcrew.Tests/Rules/{rule.GetType().Name}/fail");
        var result = GitRepo.ScanFixture(dir);
        var findings = result.Of(id).ToList();
        findings.Should().NotBeEmpty($"rule {id} must fire on its failing fixture");

        var expect = Path.Combine(dir, "expect.txt");
        File.Exists(expect).Should().BeTrue($"rule {id}: fail/expect.txt lists path:line of the expected findings");
        foreach (var line in File.ReadAllLines(expect).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var colon = line.LastIndexOf(':');
            var file = line[..colon];
            var lineNo = int.Parse(line[(colon + 1)..]);
            findings.Should().Contain(f => f.Span.File == file && f.Span.StartLine == lineNo,
                $"rule {id} should report at {line}; it reported at {string.Join(", ", findings.Select(f => f.Span.File + ":" + f.Span.StartLine))}");
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_is_silent_on_its_passing_fixture(string id)
    {
        var rule = RuleRegistry.Find(id)!;
        var dir = FixtureDir(rule, "pass");
        Directory.Exists(dir).Should().BeTrue($"rule {id} needs a passing fixture in tests/Groundcrew.Tests/Rules/{rule.GetType().Name}/pass");
        var result = GitRepo.ScanFixture(dir);
        result.Of(id).Should().BeEmpty($"rule {id} must not fire on its passing fixture");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_docs_page_with_bad_and_good_examples(string id)
    {
        var page = RuleRegistry.DocsPage(id);
        page.Should().NotBeNull($"docs/rules/{id}.md must exist");
        page!.Should().Contain($"# {id}");
        page.Should().MatchRegex("(?i)## (bad|failing)", "the page shows the bad configuration");
        page.Should().MatchRegex("(?i)## (good|passing)", "the page shows the fix");
    }

    [Fact]
    public void Rule_ids_are_unique_kebab_case_slugs_of_their_class_names()
    {
        var ids = RuleRegistry.Rules.Select(r => r.Id).ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().AllSatisfy(id => id.Should().MatchRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$"));
    }
}
