using Groundcrew.Tests.Support;
using System.Xml.Linq;
using FluentAssertions;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Diagnose;

/// <summary>The `groundcrew diagnose` verb end to end: formats, exit codes, stdin, bad input, redaction, ranking.</summary>
[RunsLong]
public class DiagnoseCommandTests
{
    private static readonly string Fixtures = DiagnoseFixtures.Directory;

    private static GroundcrewCli.Run Diagnose(params string[] args) => GroundcrewCli.ExecWith(["diagnose", .. args]);

    private static string F(string name) => Path.Combine(Fixtures, name);

    [Fact]
    public void Json_lists_matches_best_first_with_the_documented_fields()
    {
        var result = Diagnose("--format", "json", F("describe-pod-oom.txt"), F("events.json"));

        result.ExitCode.Should().Be(0, result.Stderr);
        var matches = (JArray)JObject.Parse(result.Stdout)["matches"]!;
        matches.Select(m => (string)m["id"]!).Should().StartWith("oom-killed");
        var confidences = matches.Select(m => (double)m["confidence"]!).ToList();
        confidences.Should().BeInDescendingOrder();
        var first = (JObject)matches[0];
        first.Properties().Select(p => p.Name).Should().Contain(["id", "title", "cause", "fix", "preventedBy", "evidence", "confidence"]);
        first["evidence"]!.Values<string>().Should().Contain(e => e!.Contains("describe-pod-oom.txt:16") && e.Contains("OOMKilled"));
        matches.Single(m => (string)m["id"]! == "alb-https-listener-without-certificate")["preventedBy"]!.Values<string>()
            .Should().Equal("alb-https-without-certificate");
    }

    [Fact]
    public void Console_quotes_evidence_and_names_cause_fix_rule_and_confidence()
    {
        var result = Diagnose(F("pods-list.json"));

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Contain("Image built for another CPU architecture (exec format error)  [exec-format-error, confidence 0.90]")
            .And.Contain("pod/os-service-6b7c9d5f8-x2x9k container os-service: terminated Error (exit code 1): exec /usr/bin/dumb-init: exec format error")
            .And.Contain("Cause: The kernel refused")
            .And.Contain("docker buildx build --platform linux/amd64")
            .And.Contain("Prevented by: groundcrew check rule image-built-for-wrong-architecture");
    }

    [Fact]
    public void Stdin_is_read_with_a_dash()
    {
        var result = GroundcrewCli.ExecWith(["diagnose", "-"], stdin: "Error: Cannot find module '@nestjs/core'\n");

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Contain("[node-cannot-find-module,").And.Contain("<stdin>:1: Error: Cannot find module '@nestjs/core'");
    }

    [Fact]
    public void Nothing_matched_says_so_exits_zero_and_shows_error_looking_lines()
    {
        var result = Diagnose(F("unrelated.log"));

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().StartWith("No known failure matched the input.")
            .And.Contain("unrelated.log:3: 2026-11-22T04:00:02Z ERROR payment reconciliation job failed")
            .And.NotContain("starting worker pool");
    }

    [Fact]
    public void Unreadable_inputs_are_named_the_rest_is_diagnosed_and_the_exit_code_is_2()
    {
        var binary = Path.Combine(Path.GetTempPath(), $"gc-diagnose-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(binary, [0x00, 0x01, 0x02, 0xff]);
        try
        {
            var result = Diagnose(binary, F("no-such-file.log"), F("ecs-describe-services.json"));

            result.ExitCode.Should().Be(2);
            result.Stderr.Should().Contain($"groundcrew: {binary}: binary file").And.Contain("no-such-file.log: no such file");
            result.Stdout.Should().Contain("[ecs-elb-health-check-failed,");
        }
        finally { File.Delete(binary); }
    }

    [Fact]
    public void Malformed_json_is_named_on_stderr_and_still_diagnosed()
    {
        var result = Diagnose(F("truncated-describe-tasks.json"));

        result.ExitCode.Should().Be(0);
        result.Stderr.Should().Contain("truncated-describe-tasks.json: malformed JSON");
        result.Stdout.Should().Contain("[ecs-elb-health-check-failed,");
    }

    [Fact]
    public void Secrets_in_the_input_are_redacted_in_every_format()
    {
        // One run writes every format (--output FORMAT=FILE), so each format is checked without a process per format.
        var dir = Directory.CreateTempSubdirectory("gc-diag-formats-").FullName;
        try
        {
            var formats = new[] { "console", "json", "sarif", "junit" };
            var (result, outputs) = GroundcrewCli.ExecWritingFormats(formats, dir, "out", null, "diagnose", "--format", "console", F("mlflow-with-password.log"));

            result.ExitCode.Should().Be(0);
            foreach (var (format, text) in outputs.Select(o => (o.Key, o.Value)).Append(("stdout", result.Stdout)))
            {
                text.Should().Contain("postgres-password-authentication-failed", format);
                text.Should().NotContain("sudoAhvVLKh0J1XPdiqGA5OWB8oMMN", format).And.NotContain("wJalrXUtnFEMI", format);
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Redaction_also_covers_the_lines_shown_when_nothing_matched()
    {
        var result = GroundcrewCli.ExecWith(["diagnose", "-"], stdin: "ERROR cannot sync to https://deploy:hunter2secret@git.example.com/repo.git\n");

        result.Stdout.Should().Contain("No known failure matched").And.Contain("https://deploy:****@git.example.com").And.NotContain("hunter2secret");
    }

    [Fact]
    public void Sarif_output_is_valid_sarif_2_1_0_with_results_located_at_evidence_lines()
    {
        var result = Diagnose("--format", "sarif", F("describe-pod-oom.txt"));

        var sarif = JObject.Parse(result.Stdout);
        sarif["version"]!.Value<string>().Should().Be("2.1.0");
        var results = (JArray)sarif["runs"]![0]!["results"]!;
        var oom = results.First(r => (string)r["ruleId"]! == "oom-killed");
        oom["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!.Value<int>().Should().BeOneOf(15, 16);
        var schemaPath = "/work/shared/schemas/sarif-schema-2.1.0.json";
        if (File.Exists(schemaPath))
        {
            var schema = NJsonSchema.JsonSchema.FromJsonAsync(File.ReadAllText(schemaPath)).GetAwaiter().GetResult();
            schema.Validate(result.Stdout).Should().BeEmpty();
        }
    }

    [Fact]
    public void Junit_has_one_failed_case_per_match()
    {
        var result = Diagnose("--format", "junit", F("events.json"));

        var suite = XDocument.Parse(result.Stdout).Root!.Element("testsuite")!;
        suite.Attribute("failures")!.Value.Should().Be("2");
        suite.Elements("testcase").Select(c => c.Attribute("name")!.Value)
            .Should().BeEquivalentTo(["alb-https-listener-without-certificate", "insufficient-cpu"]);
    }

    [Fact]
    public void Check_results_rank_the_causes_of_an_ambiguous_error()
    {
        var sarif = Path.Combine(Path.GetTempPath(), $"gc-check-{Guid.NewGuid():N}.sarif");
        File.WriteAllText(sarif, """
            {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"groundcrew"}},"results":[
              {"ruleId":"execution-role-cannot-read-secret","level":"error","message":{"text":"ecsTaskExecutionRole cannot read hokusai/app-secrets"}}]}]}
            """);
        try
        {
            var without = JObject.Parse(Diagnose("--format", "json", F("ecs-describe-tasks.json")).Stdout);
            var with = JObject.Parse(Diagnose("--format", "json", "--check-results", sarif, F("ecs-describe-tasks.json")).Stdout);

            static string Top(JObject o) => (string)o["matches"]![0]!["hypotheses"]![0]!["id"]!;
            Top(without).Should().Be("no-network-path");
            Top(with).Should().Be("execution-role-missing-permission");
            with["matches"]![0]!["hypotheses"]![0]!["support"]![0]!.Value<string>().Should().Be($"check reported execution-role-cannot-read-secret in {sarif}");
            with["matches"]![0]!["preventedBy"]![0]!.Value<string>().Should().Be("execution-role-cannot-read-secret");
        }
        finally { File.Delete(sarif); }
    }

    [Fact]
    public void Image_pull_back_off_names_the_local_image_cause_from_the_event_and_from_check()
    {
        var sarif = Path.Combine(Path.GetTempPath(), $"gc-check-{Guid.NewGuid():N}.sarif");
        File.WriteAllText(sarif, """{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"groundcrew"}},"results":[{"ruleId":"private-subnet-no-egress","message":{"text":"x"}}]}]}""");
        try
        {
            var fromEvent = JObject.Parse(Diagnose("--format", "json", F("pods.yaml")).Stdout)["matches"]![0]!;
            var withCheck = JObject.Parse(Diagnose("--format", "json", "--check-results", sarif, F("pods.yaml")).Stdout)["matches"]![0]!;

            ((string)fromEvent["hypotheses"]![0]!["id"]!).Should().Be("image-only-on-a-build-machine");
            fromEvent["hypotheses"]![0]!["support"]![0]!.Value<string>().Should().Contain("vextrus/finance:week4-prod-final");
            ((string)withCheck["hypotheses"]![0]!["id"]!).Should().Be("no-network-to-registry", "a check finding outweighs one hint in the text");
        }
        finally { File.Delete(sarif); }
    }

    [Fact]
    public void Repo_option_runs_check_and_never_stops_the_diagnosis()
    {
        var repo = Path.Combine(Path.GetTempPath(), $"gc-repo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(repo);
        try
        {
            var result = Diagnose("--repo", repo, F("ecs-describe-tasks.json"));

            result.ExitCode.Should().Be(0, result.Stderr);
            result.Stdout.Should().Contain("[ecs-resource-initialization-error,");
        }
        finally { Directory.Delete(repo, true); }
    }

    [Theory]
    [InlineData(new string[0], "give at least one input file")]
    [InlineData(new[] { "--format", "pdf", "x.log" }, "--format must be one of console, json, sarif, junit, html")]
    [InlineData(new[] { "--ecs", "just-a-cluster" }, "--ecs expects CLUSTER/SERVICE")]
    [InlineData(new[] { "--check-results", "/nonexistent/check.sarif", "x.log" }, "--check-results: no such file /nonexistent/check.sarif")]
    [InlineData(new[] { "--kube", "pod/api" }, "with --kube the only argument is an optional deployment/NAME")]
    public void Usage_errors_exit_2_with_a_message(string[] args, string message)
    {
        var result = Diagnose(args);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain(message);
    }

    [Fact]
    public void Prevented_by_lists_the_failures_a_rule_prevents()
    {
        var result = Diagnose("--prevented-by", "image-built-for-wrong-architecture");

        result.ExitCode.Should().Be(0);
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])
            .Should().BeEquivalentTo(["exec-format-error", "image-platform-mismatch-warning", "no-matching-manifest-for-platform",
                "crashloop-unexplained", "image-pull-backoff-unexplained"], "a rule also prevents the failures where it is one of the ranked causes");
    }

    [Fact]
    public void A_missing_kubectl_is_a_clear_usage_error()
    {
        var emptyPath = Directory.CreateTempSubdirectory("gc-nopath-").FullName;
        try
        {
            var result = GroundcrewCli.ExecWith(["diagnose", "--kube"], environment: new Dictionary<string, string> { ["PATH"] = emptyPath });

            result.ExitCode.Should().Be(2);
            result.Stderr.Should().Contain("kubectl was not found on PATH");
        }
        finally { Directory.Delete(emptyPath); }
    }

    [Fact]
    public void List_signatures_prints_every_signature()
    {
        var result = Diagnose("--list-signatures");

        result.ExitCode.Should().Be(0);
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(Groundcrew.Diagnose.Signatures.SignatureBase.Load().Signatures.Count);
    }
}
