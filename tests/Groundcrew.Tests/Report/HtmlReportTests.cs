using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Report.Html;
using Groundcrew.Tests.Support;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Reporting;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>The HTML reports' files and `groundcrew graph`, without a browser.</summary>
[RunsLong]
public class HtmlReportTests
{
    private static string Example(string name) => Path.Combine(Repo.Root, "examples", name);

    // Planted in the examples: the password inside c-hokusai's BACKEND_STORE_URI and the static keys of a-os-service's Secret.
    private static readonly string[] PlantedSecrets =
    [
        "TestPassword123!", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUEthatexpiresinfourhours",
    ];

    [Fact]
    public void The_check_report_is_one_file_that_loads_nothing_and_prints_no_secret()
    {
        var run = GroundcrewCli.Exec("check", Path.Combine(Repo.Root, "examples"), "--format", "html");
        run.ExitCode.Should().Be(1, run.Stderr);
        var html = run.Stdout;
        html.Should().StartWith("<!doctype html>");
        foreach (var secret in PlantedSecrets) html.Should().NotContain(secret);
        html.Should().NotContainAny("<script src", "<link", "@import", "url(http", "src=\"http");
        html.Should().Contain("default-src 'none'", "a content security policy forbids every fetch");
        html.Should().Contain("AWS_SECRET_ACCESS_KEY", "the frame shows the key next to the one reported, with its value masked");
    }

    [Fact]
    public void The_check_report_can_be_written_beside_another_format()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "report.html");
        var run = GroundcrewCli.Exec("check", Example("c-hokusai"), "--format", "json", "--output", "html=" + file);
        JObject.Parse(run.Stdout)["findings"]!.Should().NotBeEmpty();
        var html = File.ReadAllText(file);
        html.Should().Contain("execution-role-cannot-read-secret").And.NotContain("TestPassword123!");
    }

    [Fact]
    public void Graph_json_marks_the_trust_that_names_the_wrong_service_account_broken()
    {
        var run = GroundcrewCli.Exec("graph", Example("b-cloudmart"), "--format", "json");
        run.ExitCode.Should().Be(0, run.Stderr);
        var doc = JObject.Parse(run.Stdout);
        var edges = (JArray)doc["edges"]!;
        edges.Should().Contain(e => (string?)e["from"] == "ServiceAccount/default/cloudmart-backend-sa" && (string?)e["to"] == "aws_iam_role.cloudmart_pod"
                                    && (string?)e["state"] == "resolved", "the annotation names a role declared in iam/irsa.tf");
        var trust = edges.Single(e => (string?)e["from"] == "aws_iam_role.cloudmart_pod" && (string?)e["label"] == "trusts");
        ((string?)trust["state"]).Should().Be("broken");
        ((string?)trust["to"]).Should().Be("ServiceAccount/default/cloudmart-backend");
        ((string?)trust["file"]).Should().Be("iam/irsa.tf");
        doc["nodes"]!.Should().Contain(n => (string?)n["id"] == "ServiceAccount/default/cloudmart-backend" && (bool?)n["external"] == true);
    }

    [Fact]
    public void Graph_mermaid_draws_broken_edges_red_and_unknown_ones_dashed()
    {
        var run = GroundcrewCli.Exec("graph", Example("b-cloudmart"));
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().StartWith("flowchart LR");
        run.Stdout.Should().MatchRegex(@"linkStyle [\d,]+ stroke:#d92d20");
        run.Stdout.Should().Contain("-.->|\"trusts provider\"|", "the OIDC provider is not declared: unknown");
    }

    [Fact]
    public void Graph_dot_focus_keeps_the_neighbourhood_of_one_resource()
    {
        var all = GroundcrewCli.Exec("graph", Example("c-hokusai"), "--format", "dot").Stdout;
        var focused = GroundcrewCli.Exec("graph", Example("c-hokusai"), "--format", "dot", "--focus", "hokusai-auth-development");
        focused.ExitCode.Should().Be(0, focused.Stderr);
        focused.Stdout.Should().StartWith("digraph deployment {").And.Contain("task definition hokusai-auth-development");
        focused.Stdout.Should().NotContain("hokusai-mlflow-development");
        all.Should().Contain("hokusai-mlflow-development");
        focused.Stdout.Should().Contain("color=\"#d92d20\"", "the execution role cannot read the secrets: red");
    }

    [Fact]
    public void Graph_focus_on_nothing_is_a_usage_error()
    {
        var run = GroundcrewCli.Exec("graph", Example("c-hokusai"), "--focus", "no-such-thing");
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("no-such-thing");
    }

    [Fact]
    public void The_verify_page_shows_the_failing_assertion_and_masks_secrets()
    {
        var redactor = new Redactor();
        redactor.Add("s3cr3t-session-token");
        var step = new StepResult("get order", StepStatus.Failed, VerifyExitCode.AssertionFailed, TimeSpan.FromMilliseconds(120), 3,
            new SentRequest("GET", "http://127.0.0.1:5000/orders/1"), 500, "{\"token\": \"s3cr3t-session-token\"}",
            [new AssertionResult("status", "200", "500", false)], null);
        var run = new VerifyRunResult(VerifyExitCode.AssertionFailed, [], [new FlowResult("orders", "flows/orders.yaml", [step], TimeSpan.FromSeconds(1))], []);
        var html = ReportPages.Verify(run, redactor);
        html.Should().Contain("get order").And.Contain("\"expected\": \"200\"").And.Contain("\"actual\": \"500\"");
        html.Should().NotContain("s3cr3t-session-token");
    }

    [Fact]
    public void The_diagnose_page_holds_the_matches()
    {
        var run = GroundcrewCli.Exec("diagnose", "--format", "html", Path.Combine(Groundcrew.Tests.Diagnose.DiagnoseFixtures.Directory, "describe-pod-oom.txt"));
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().StartWith("<!doctype html>").And.Contain("oom-killed").And.Contain("Groundcrew diagnose report");
    }
}
