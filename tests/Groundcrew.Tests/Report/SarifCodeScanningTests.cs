using FluentAssertions;
using Groundcrew.Report;
using Groundcrew.Rules;
using Groundcrew.Tests.Support;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>What GitHub code scanning reads from the SARIF: rule help, tags, security-severity, stable fingerprints, real addresses only.</summary>
public class SarifCodeScanningTests
{
    private static JObject Sarif(string folder, RuleDocs? docs = null)
    {
        var writer = new StringWriter();
        new SarifReporter(docs ?? new RuleDocs(null)).Write(Scan.Folder(folder), writer, new ReportSettings(Groundcrew.Core.Severity.Error, false, "test"));
        return JObject.Parse(writer.ToString());
    }

    private static async Task ShouldBeValidSarif(JObject sarif)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(Repo.Shared ?? throw new InvalidOperationException("../shared is missing"), "schemas", "sarif-schema-2.1.0.json"));
        var errors = schema.Validate(sarif.ToString());
        errors.Should().BeEmpty(string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    private static JToken Rule(JObject sarif, string id) => sarif["runs"]![0]!["tool"]!["driver"]!["rules"]!.Single(r => (string?)r["id"] == id);

    [Fact]
    public async Task The_default_build_links_no_address_and_carries_each_docs_page_as_help_markdown()
    {
        var run = GroundcrewCli.Exec("check", Path.Combine(Repo.Root, "examples", "c-hokusai"), "--format", "sarif");
        var sarif = JObject.Parse(run.Stdout);
        await ShouldBeValidSarif(sarif);
        run.Stdout.Should().NotContain("helpUri").And.NotContain("informationUri").And.NotContain("groundcrew-dev");
        RuleDocs.Built.BaseUrl.Should().BeNull("this build sets no GroundcrewDocsBaseUrl");
        var diagnose = GroundcrewCli.Exec("diagnose", "--format", "sarif", Path.Combine(Groundcrew.Tests.Diagnose.DiagnoseFixtures.Directory, "describe-pod-oom.txt"));
        diagnose.Stdout.Should().Contain("oom-killed").And.NotContain("helpUri").And.NotContain("informationUri");

        foreach (var rule in RuleRegistry.Rules)
        {
            var descriptor = Rule(sarif, rule.Id);
            descriptor["help"]!["markdown"]!.Value<string>().Should().Be(RuleRegistry.DocsPage(rule.Id), $"{rule.Id}'s page is its help");
            descriptor["help"]!["text"]!.Value<string>().Should().Contain($"groundcrew rules {rule.Id}");
            descriptor["properties"]!["tags"]!.Values<string>().Should().NotBeEmpty();
        }
        Rule(sarif, "input-error")["help"]!["markdown"]!.Value<string>().Should().StartWith("# input-error");
    }

    [Fact]
    public void Security_rules_are_tagged_and_scored_and_the_others_are_not()
    {
        using var dir = new TempDir();
        dir.Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        var sarif = Sarif(dir.Path);
        var credential = Rule(sarif, "plaintext-credential")["properties"]!;
        credential["tags"]!.Values<string>().Should().Contain(["security", "credentials"]);
        credential["security-severity"]!.Value<string>().Should().Be("8.0", "a credential in the repository is a high-severity alert");
        Rule(sarif, "long-lived-aws-credentials")["properties"]!["security-severity"]!.Value<string>().Should().Be("7.0");
        var reliability = Rule(sarif, "missing-secret-key")["properties"]!;
        reliability["tags"]!.Values<string>().Should().Contain("reliability").And.NotContain("security");
        reliability["security-severity"].Should().BeNull();
    }

    [Fact]
    public void Every_live_rule_is_listed_tagged_live_and_scored_as_its_repository_side_rule()
    {
        // A rule is live by where it lives (Rules/Live), so a new live rule without its entry in Data/sarif-rules.yaml fails here.
        var live = RuleRegistry.Rules.Where(r => r.GetType().Namespace == "Groundcrew.Rules.Live").ToList();
        live.Should().HaveCountGreaterThanOrEqualTo(13);
        var listed = SarifRuleFacts.ListedRules.ToHashSet();
        foreach (var rule in live)
        {
            rule.Id.Should().StartWith("live-");
            listed.Should().Contain(rule.Id, "every live rule has its SARIF tags in Data/sarif-rules.yaml");
            var fact = SarifRuleFacts.For(rule.Id);
            fact.Tags.Should().Contain("live").And.HaveCountGreaterThan(2, $"{rule.Id} names what it reads besides reliability and live");
            // Where the repository alone catches the same problem, code scanning scores both alike.
            if (RuleRegistry.Rules.Any(r => r.Id == rule.Id["live-".Length..]))
                fact.SecuritySeverity.Should().Be(SarifRuleFacts.For(rule.Id["live-".Length..]).SecuritySeverity, rule.Id);
        }
    }

    [Fact]
    public void The_data_file_names_only_real_rules()
    {
        var ids = RuleRegistry.Rules.Select(r => r.Id).ToHashSet();
        SarifRuleFacts.ListedRules.Should().OnlyContain(id => ids.Contains(id));
    }

    [Fact]
    public async Task A_docs_base_url_given_at_build_time_becomes_help_uri_and_information_uri()
    {
        using var dir = new TempDir();
        dir.Write("bad.yaml", "a: [");
        var sarif = Sarif(dir.Path, new RuleDocs("https://docs.example.test/groundcrew/docs", "https://example.test/groundcrew"));
        await ShouldBeValidSarif(sarif);
        Rule(sarif, "input-error")["helpUri"]!.Value<string>().Should().Be("https://docs.example.test/groundcrew/docs/rules/input-error.md");
        sarif["runs"]![0]!["tool"]!["driver"]!["informationUri"]!.Value<string>().Should().Be("https://example.test/groundcrew");
        // Not an address a reader can open: ignored rather than written.
        Sarif(dir.Path, new RuleDocs("../docs/", "groundcrew")).ToString().Should().NotContain("helpUri").And.NotContain("informationUri");
    }

    private static Dictionary<int, string> FingerprintsByLine(JObject sarif, string ruleId) =>
        sarif["runs"]![0]!["results"]!.Where(r => (string?)r["ruleId"] == ruleId).ToDictionary(
            r => r["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!.Value<int>(),
            r => r["partialFingerprints"]![SarifReporter.FingerprintKey]!.Value<string>()!);

    [Fact]
    public void A_fingerprint_stays_when_lines_are_inserted_above_the_finding()
    {
        using var dir = new TempDir();
        var manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: nginx:1.27\n      env:\n" +
                       "        - name: DB_PASSWORD\n          value: \"Zq8-kL2pV9xx\"\n        - name: API_TOKEN\n          value: \"Qw3-rT5yU7ii\"\n";
        dir.Write("pod.yaml", manifest);
        var before = FingerprintsByLine(Sarif(dir.Path), "plaintext-credential");
        before.Should().HaveCount(2);
        before.Values.Distinct().Should().HaveCount(2, "two findings, two fingerprints");

        dir.Write("pod.yaml", "# added later\n# by someone else\n\n" + manifest);
        var after = FingerprintsByLine(Sarif(dir.Path), "plaintext-credential");
        after.Keys.Should().Equal(before.Keys.Select(l => l + 3), "the findings moved down three lines");
        after.Values.Should().Equal(before.Values, "the fingerprints did not move with them");

        dir.Write("pod.yaml", manifest.Replace("DB_PASSWORD", "DB_PASS"));
        FingerprintsByLine(Sarif(dir.Path), "plaintext-credential")[11].Should().NotBe(before[11], "a different finding is a different alert");
    }

    [Fact]
    public void A_fingerprint_stays_when_the_message_names_a_line_that_moved_too()
    {
        // npx-unpinned says which line installed the production dependencies: "(line 12)".
        using var dir = new TempDir();
        var source = Path.Combine(Repo.Root, "tests", "Groundcrew.Tests", "Rules", "NpxUnpinned", "fail", "api");
        var dockerfile = File.ReadAllText(Path.Combine(source, "Dockerfile"));
        dir.Write("api/package.json", File.ReadAllText(Path.Combine(source, "package.json")));
        dir.Write("api/Dockerfile", dockerfile);
        var result = Scan.Folder(dir.Path);
        result.Findings.Should().Contain(f => f.RuleId == "npx-unpinned" && System.Text.RegularExpressions.Regex.IsMatch(f.Message, @"line \d+"));
        var before = FingerprintsByLine(Sarif(dir.Path), "npx-unpinned");

        dir.Write("api/Dockerfile", "# syntax=docker/dockerfile:1\n\n" + dockerfile);
        var after = FingerprintsByLine(Sarif(dir.Path), "npx-unpinned");
        after.Keys.Should().Equal(before.Keys.Select(l => l + 2));
        after.Values.Should().Equal(before.Values);
    }
}
