using System.Xml.Linq;
using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>The exit codes of the real binary, which is what a pipeline sees. (3 is covered by the ECS tests.)</summary>
public class CliExitCodeTests
{
    [Fact]
    public async Task Zero_when_every_step_passes_and_reports_are_written()
    {
        await using var api = await OrderService.StartAsync();
        var dir = Harness.TempDir();
        var run = await Harness.CliAsync([Harness.Example("database-health.yaml"), "--report", $"junit={dir}/out/junit.xml", "--report", $"json={dir}/out/verify.json"],
            new Dictionary<string, string> { ["API_URL"] = api.BaseUrl.ToString().TrimEnd('/') });
        run.ExitCode.Should().Be(0, run.StdOut + run.StdErr);
        XDocument.Load($"{dir}/out/junit.xml").Root!.Elements("testsuite").Should().ContainSingle();
        var json = JObject.Parse(File.ReadAllText($"{dir}/out/verify.json"));
        ((int)json["exitCode"]!).Should().Be(0);
        json["flows"]![0]!["steps"]!.Should().HaveCount(2);
    }

    [Fact]
    public async Task One_when_an_assertion_fails()
    {
        await using var api = await OrderService.StartAsync(new() { DatabaseConnected = false });
        var run = await Harness.CliAsync([Harness.Example("database-health.yaml"), "--var", $"api={api.BaseUrl.ToString().TrimEnd('/')}"]);
        run.ExitCode.Should().Be(1, run.StdOut + run.StdErr);
        run.StdOut.Should().Contain("$.backend.database_connected: expected == true");
    }

    [Theory]
    [InlineData("does-not-exist.yaml")]
    [InlineData("--report", "xml=out.xml")]
    [InlineData("--var", "novalue")]
    [InlineData("--rollout", "helm", "deployment/x")]
    [InlineData("--rollout", "kube")]
    [InlineData("deployment/api")]
    public async Task Two_for_usage_and_flow_file_errors(params string[] args)
    {
        var run = await Harness.CliAsync(args.Append(Harness.Example("database-health.yaml")).Where(a => a != "").ToArray(),
            new Dictionary<string, string> { ["API_URL"] = "http://127.0.0.1:9" });
        run.ExitCode.Should().Be(2, run.StdOut + run.StdErr);
    }

    [Fact]
    public async Task Two_when_an_environment_variable_the_flow_needs_is_unset()
    {
        var run = await Harness.CliAsync([Harness.Example("database-health.yaml")]);
        run.ExitCode.Should().Be(2, run.StdOut + run.StdErr);
        run.StdOut.Should().Contain("environment variable 'API_URL' is not set");
    }

    [Fact]
    public async Task Two_when_a_report_cannot_be_written()
    {
        await using var api = await OrderService.StartAsync();
        var blocker = Path.Combine(Harness.TempDir(), "a-file");
        File.WriteAllText(blocker, "");
        var run = await Harness.CliAsync([Harness.Example("database-health.yaml"), "--var", $"api={api.BaseUrl.ToString().TrimEnd('/')}",
            "--report", $"junit={blocker}/junit.xml"]);
        run.ExitCode.Should().Be(2, run.StdOut + run.StdErr);
        run.StdOut.Should().Contain("cannot write junit report");
    }

    [Fact]
    public async Task Four_when_nothing_answers()
    {
        var run = await Harness.CliAsync([Harness.Example("database-health.yaml"), "--var", $"api=http://127.0.0.1:{OrderFlowTests.FreePort()}"]);
        run.ExitCode.Should().Be(4, run.StdOut + run.StdErr);
    }
}
