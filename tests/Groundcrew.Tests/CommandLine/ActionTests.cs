using FluentAssertions;
using Groundcrew.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Groundcrew.Tests.CommandLine;

/// <summary>
/// The GitHub Action: action/run.sh run with the environment a runner gives (GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY,
/// GITHUB_OUTPUT, INPUT_*), asserting the annotations, SARIF, summary and outputs it writes; and action.yml wiring its inputs.
/// </summary>
public class ActionTests : IDisposable
{
    private readonly TempDir _runner = new();
    private readonly string _workspace;

    public ActionTests()
    {
        _workspace = Path.Combine(_runner.Path, "workspace");
        Directory.CreateDirectory(_workspace);
    }

    public void Dispose() => _runner.Dispose();

    private string Summary => Path.Combine(_runner.Path, "step_summary.md");
    private string Output => Path.Combine(_runner.Path, "output.txt");

    private ExternalTool.Run RunAction(params (string Name, string Value)[] inputs)
    {
        var bash = ExternalTool.Find("bash") ?? throw new InvalidOperationException("bash is needed to run the action's script");
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_WORKSPACE"] = _workspace, ["GITHUB_STEP_SUMMARY"] = Summary, ["GITHUB_OUTPUT"] = Output,
            ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "acme/deploy", ["GITHUB_SHA"] = "f00dcafe",
            ["GROUNDCREW_BIN"] = $"dotnet {GroundcrewCli.Binary}",
            ["NO_COLOR"] = null,
        };
        foreach (var (name, value) in inputs) env[name] = value;
        File.WriteAllText(Summary, "");
        File.WriteAllText(Output, "");
        return ExternalTool.Exec(bash, [Path.Combine(Repo.Root, "action", "run.sh")], _runner.Path, env);
    }

    private Dictionary<string, string> Outputs() => File.ReadAllLines(Output).Where(l => l.Contains('='))
        .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

    private void Write(string relative, string content)
    {
        var full = Path.Combine(_workspace, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    [Fact]
    public void Findings_become_annotations_sarif_a_job_summary_and_outputs_and_fail_the_step()
    {
        Write("k8s/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n");
        Write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  # groundcrew:ignore input-error\n  a: b\n");
        var run = RunAction(("INPUT_PATHS", "."), ("INPUT_SARIF_FILE", "reports/groundcrew.sarif"));

        run.ExitCode.Should().Be(1, run.Stderr);
        run.Stdout.Should().MatchRegex(@"(?m)^::error file=k8s/bad\.yaml,line=\d+,col=\d+.*title=input-error::");
        run.Stdout.Should().MatchRegex(@"(?m)^::warning file=k8s/cm\.yaml,line=6");

        var sarif = JObject.Parse(File.ReadAllText(Path.Combine(_workspace, "reports", "groundcrew.sarif")));
        sarif["version"]!.Value<string>().Should().Be("2.1.0");
        sarif["runs"]![0]!["results"]!.Should().Contain(r => (string?)r["ruleId"] == "input-error");

        var summary = File.ReadAllText(Summary);
        summary.Should().StartWith("## Groundcrew check: ❌ failed");
        summary.Should().Contain("[line 5](https://github.com/acme/deploy/blob/f00dcafe/k8s/bad.yaml#L5)", "lines link to the commit being checked");

        Outputs().Should().Contain(new Dictionary<string, string>
        {
            ["sarif-file"] = "reports/groundcrew.sarif", ["exit-code"] = "1", ["errors"] = "1", ["warnings"] = "1", ["notes"] = "0",
        });
    }

    [Fact]
    public void A_clean_workspace_passes_and_fail_on_warning_makes_a_warning_fail()
    {
        Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\ndata:\n  a: b\n");
        var clean = RunAction();
        clean.ExitCode.Should().Be(0, clean.Stdout + clean.Stderr);
        File.ReadAllText(Summary).Should().StartWith("## Groundcrew check: ✅ passed");
        Outputs()["errors"].Should().Be("0");
        File.Exists(Path.Combine(_workspace, "groundcrew.sarif")).Should().BeTrue("the default sarif-file");

        Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  # groundcrew:ignore input-error\n  a: b\n");
        RunAction().ExitCode.Should().Be(0, "a warning is below the default threshold");
        RunAction(("INPUT_FAIL_ON", "warning")).ExitCode.Should().Be(1);
    }

    [Fact]
    public void Annotations_and_summary_can_be_turned_off_and_a_config_input_is_used()
    {
        Write("bad.yaml", "a: [");
        Write("ci/groundcrew.yaml", "rules:\n  input-error: warning\n");
        var run = RunAction(("INPUT_ANNOTATIONS", "false"), ("INPUT_SUMMARY", "false"), ("INPUT_CONFIG", "ci/groundcrew.yaml"));
        run.ExitCode.Should().Be(0, "the config lowered input-error to a warning: " + run.Stdout + run.Stderr);
        run.Stdout.Should().NotContain("::warning").And.Contain("bad.yaml");
        File.ReadAllText(Summary).Should().BeEmpty();
        Outputs()["warnings"].Should().Be("1");
    }

    [Fact]
    public void A_usage_error_exits_2_with_an_error_annotation_and_no_sarif_output()
    {
        Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n");
        var run = RunAction(("INPUT_PATHS", "no-such-folder"));
        run.ExitCode.Should().Be(2);
        run.Stdout.Should().Contain("::error title=groundcrew::groundcrew check could not run (exit 2)").And.Contain("no-such-folder");
        Outputs().Should().ContainKey("exit-code").WhoseValue.Should().Be("2");
        Outputs().Should().NotContainKey("sarif-file");
    }

    [Fact]
    public void Action_yml_is_a_composite_action_passing_every_input_to_the_script()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repo.Root, "action.yml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var inputs = ((YamlMappingNode)root["inputs"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        inputs.Should().Contain(["paths", "fail-on", "config", "sarif-file", "annotations", "summary"]);
        var runs = (YamlMappingNode)root["runs"];
        ((YamlScalarNode)runs["using"]).Value.Should().Be("composite");
        var check = ((YamlSequenceNode)runs["steps"]).OfType<YamlMappingNode>().Single(s => s.Children.ContainsKey("id") && ((YamlScalarNode)s["id"]).Value == "check");
        ((YamlScalarNode)check["run"]).Value.Should().Contain("action/run.sh");
        var env = (YamlMappingNode)check["env"];
        foreach (var input in inputs)
        {
            var name = "INPUT_" + input.Replace('-', '_').ToUpperInvariant();
            ((YamlScalarNode)env[name]).Value.Should().Be($"${{{{ inputs.{input} }}}}", $"{name} is what run.sh reads");
            File.ReadAllText(Path.Combine(Repo.Root, "action", "run.sh")).Should().Contain(name);
        }
        var outputs = ((YamlMappingNode)root["outputs"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!);
        foreach (var output in outputs) File.ReadAllText(Path.Combine(Repo.Root, "action", "run.sh")).Should().Contain($"echo \"{output}=");
    }
}
