using System.Xml.Linq;
using FluentAssertions;
using Groundcrew.Tests.Support;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>Every output format, produced by the real binary on a folder with known problems.</summary>
[RunsLong]
public class ReportFormatTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ReportFormatTests()
    {
        _dir.Write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n");
        _dir.Write("k8s/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n");
        _dir.Write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  # groundcrew:ignore input-error\n  a: b\n");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sarif_output_validates_against_the_official_2_1_0_schema()
    {
        var run = GroundcrewCli.Exec("check", _dir.Path, "--format", "sarif");
        run.ExitCode.Should().Be(1);
        var schemaPath = Path.Combine(Repo.Shared ?? throw new InvalidOperationException("../shared is missing"), "schemas", "sarif-schema-2.1.0.json");
        var schema = await JsonSchema.FromFileAsync(schemaPath);
        var errors = schema.Validate(run.Stdout);
        errors.Should().BeEmpty(string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));

        var result = JObject.Parse(run.Stdout)["runs"]![0]!["results"]!.Single(r => (string?)r["ruleId"] == "input-error");
        result["level"]!.Value<string>().Should().Be("error");
        var loc = result["locations"]![0]!["physicalLocation"]!;
        loc["artifactLocation"]!["uri"]!.Value<string>().Should().Be("bad.yaml", "paths are relative to the scanned root");
        loc["region"]!["startLine"]!.Value<int>().Should().BeGreaterThan(1);
        loc["region"]!["startColumn"]!.Value<int>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Sarif_uris_name_the_file_from_the_working_directory_when_a_subfolder_is_scanned()
    {
        // GitHub code scanning matches URIs against the repository root (the working directory in Actions):
        // `check k8s` run from the root must say k8s/cm.yaml, not cm.yaml.
        var run = GroundcrewCli.ExecIn(_dir.Path, null, "check", "k8s", "--format", "sarif");
        var sarif = JObject.Parse(run.Stdout)["runs"]![0]!;
        var uris = sarif["results"]!.SelectMany(r => r["locations"]!).Select(l => (string?)l["physicalLocation"]!["artifactLocation"]!["uri"]).ToList();
        uris.Should().Contain("k8s/cm.yaml");
        uris.Should().NotContain("cm.yaml");
        var srcroot = (string?)sarif["originalUriBaseIds"]!["SRCROOT"]!["uri"];
        srcroot.Should().Be(new Uri(Path.GetFullPath(_dir.Path) + "/").AbsoluteUri);
    }

    [Fact]
    public void Json_output_lists_findings_with_positions_and_a_summary()
    {
        var run = GroundcrewCli.Exec("check", _dir.Path, "--format", "json");
        var doc = JObject.Parse(run.Stdout);
        doc["summary"]!["errors"]!.Value<int>().Should().Be(1);
        doc["summary"]!["warnings"]!.Value<int>().Should().Be(1, "the suppression without a reason is a warning");
        doc["findings"]!.Should().Contain(f => (string?)f["ruleId"] == "input-error" && (string?)f["file"] == "bad.yaml");
        doc["passed"]!.Value<bool>().Should().BeFalse();
    }

    [Fact]
    public void Junit_output_is_well_formed_with_one_failure_per_error()
    {
        var run = GroundcrewCli.Exec("check", _dir.Path, "--format", "junit");
        var xml = XDocument.Parse(run.Stdout);
        xml.Root!.Name.LocalName.Should().Be("testsuites");
        var suite = xml.Root.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "input-error");
        suite.Elements("testcase").Single().Element("failure").Should().NotBeNull();
        ((int)suite.Attribute("failures")!).Should().Be(1);
    }

    [Fact]
    public void Github_output_is_workflow_commands_with_file_and_line()
    {
        var run = GroundcrewCli.ExecIn(_dir.Path, null, "check", ".", "--format", "github");
        run.Stdout.Should().MatchRegex(@"(?m)^::error file=bad\.yaml,line=\d+,col=\d+.*title=input-error::invalid YAML");
        run.Stdout.Should().MatchRegex(@"(?m)^::warning file=k8s/cm\.yaml,line=6");
    }

    [Fact]
    public void Console_output_groups_by_file_and_shows_the_line_with_a_marker()
    {
        var run = GroundcrewCli.ExecIn(_dir.Path, null, "check", ".");
        run.Stdout.Should().Contain("bad.yaml");
        run.Stdout.Should().Contain("|   # groundcrew:ignore input-error", "the offending line is shown");
        run.Stdout.Should().MatchRegex(@"\|\s+\^");
        run.Stdout.Should().Contain("fix:");
        run.Stdout.Should().MatchRegex(@"FAILED: 1 error\(s\), 1 warning\(s\), 0 note\(s\)");
        run.Stdout.Should().NotContain("\u001b[", "NO_COLOR turns colours off");
    }

    [Fact]
    public void A_finding_on_a_huge_minified_line_shows_a_window_around_it_with_the_marker_in_place()
    {
        using var dir = new TempDir();
        // One-line JSON (as `terraform show -json` or CDK write it): the placeholder sits ~5,000 characters in.
        var padding = string.Join(",", Enumerable.Range(0, 300).Select(i => $"{{\"name\":\"V{i}\",\"value\":\"x\"}}"));
        dir.Write("td.json", "{\"family\":\"api\",\"containerDefinitions\":[{\"name\":\"api\",\"image\":\"nginx:1.27\",\"environment\":[" + padding
            + ",{\"name\":\"TOKEN\",\"value\":\"REPLACE_ME\"}]}]}");
        var run = GroundcrewCli.ExecIn(dir.Path, null, "check", ".");
        var lines = run.Stdout.Split('\n');
        var shown = lines.Single(l => l.Contains("|") && l.Contains("REPLACE_ME"));
        shown.Length.Should().BeLessThan(200, "a 10,000-character line is cut to a window");
        shown.Should().Contain("…");
        var marker = lines[Array.IndexOf(lines, shown) + 1];
        marker.IndexOf('^').Should().Be(shown.IndexOf("\"REPLACE_ME\"", StringComparison.Ordinal), "the marker still points at the value");
    }

    [Fact]
    public void Several_formats_at_once_with_output_format_equals_file()
    {
        var sarif = Path.Combine(_dir.Path, "out.sarif");
        var junit = Path.Combine(_dir.Path, "out.xml");
        var run = GroundcrewCli.Exec("check", _dir.Path, "--format", "json", "--output", $"sarif={sarif}", "--output", $"junit={junit}");
        JObject.Parse(run.Stdout)["findings"].Should().NotBeNull();
        JObject.Parse(File.ReadAllText(sarif))["version"]!.Value<string>().Should().Be("2.1.0");
        XDocument.Parse(File.ReadAllText(junit)).Root!.Name.LocalName.Should().Be("testsuites");
    }

    public static readonly TheoryData<string> Formats = new(Groundcrew.Report.Reporters.All.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Formats))]
    public void Planted_secrets_are_redacted_in_every_format_including_the_quoted_lines(string format)
    {
        string[] secrets = ["Zq8-kL2pV9xx", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "Pl4nted-Mongo-Pw", "sk-proj-Zq8kL2pV9wXy7Qp2Zq8kL2pV9wXy7Qp2ab"];
        using var dir = new TempDir();
        dir.Write("pod.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: api
            spec:
              containers:
                - name: api
                  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0
                  env:
                    - name: DB_PASSWORD
                      value: "{secrets[0]}"
                    - name: GITHUB_BOT
                      value: {secrets[1]}
                    - name: MONGO_URI
                      value: mongodb://svc:{secrets[2]}@mongo:27017/shop
                    - name: OPENAI_API_KEY
                      value: {secrets[3]}
            """);
        var outFile = Path.Combine(dir.Path, "report.out");
        var run = GroundcrewCli.ExecIn(dir.Path, null, "check", ".", "--format", format, "--output", $"{format}={outFile}");
        run.ExitCode.Should().Be(1, run.Stderr);
        run.Stdout.Should().Contain("plaintext-credential");
        foreach (var secret in secrets)
        {
            run.Stdout.Should().NotContain(secret, $"the {format} output must not print a secret");
            File.ReadAllText(outFile).Should().NotContain(secret, $"the {format} file must not hold a secret");
        }
    }
}
