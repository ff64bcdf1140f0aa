using System.Text.Json.Nodes;
using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// `check --live` takes `--read-secret-keys` and `--read-secret-values` with the meaning and defaults `inventory` gives them:
/// no value is read unless asked, and no output ever holds one. The real CLI runs against a fake `aws` and `kubectl` on
/// PATH (shell scripts answering list-secrets, get-secret-value and `get secrets`, logging each call), so the test sees
/// exactly which calls the flags allow.
/// </summary>
public sealed class CheckLiveSecretFlagsTests : IDisposable
{
    private const string SecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/openai-AbC123";
    private readonly TempDir _repo = new();
    private readonly string _bin = Directory.CreateTempSubdirectory("gc-live-flags-bin-").FullName;
    private readonly string _log;

    public CheckLiveSecretFlagsTests()
    {
        _log = Path.Combine(_bin, "calls.log");
        // The secret's value: one key holds the template's placeholder, the other a real value that must never be shown.
        var secretValue = """{"SecretString":"{\"assistant_id\":\"<your-openai-assistant-id>\",\"model\":\"gpt-4o-never-printed\"}"}""";
        WriteScript("aws", $$"""
            echo "aws $*" >> "{{_log}}"
            case "$1 $2" in
              "sts get-caller-identity") echo '{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/ci"}' ;;
              "secretsmanager list-secrets") echo '{"SecretList":[{"Name":"app/openai","ARN":"{{SecretArn}}"}]}' ;;
              "secretsmanager get-secret-value") cat <<'JSON'
            {{secretValue}}
            JSON
              ;;
              *) echo "An error occurred (AccessDenied) when calling the $2 operation: not in this test" >&2; exit 254 ;;
            esac
            """);
        // A Kubernetes Secret whose OPENAI_KEY is base64 of "<your-openai-key>" and whose TOKEN is base64 of "tok-never-printed".
        var kubeSecret = $$$"""{"items":[{"kind":"Secret","metadata":{"name":"ai","namespace":"shop","resourceVersion":"7"},"data":{"OPENAI_KEY":"{{{B64("<your-openai-key>")}}}","TOKEN":"{{{B64("tok-never-printed")}}}"}}]}""";
        WriteScript("kubectl", $$"""
            echo "kubectl $*" >> "{{_log}}"
            case "$2" in
              secrets) echo '{{kubeSecret}}' ;;
              *) echo '{"items":[]}' ;;
            esac
            """);
        _repo.Write("assistant-taskdef.json", $$"""
            {
              "family": "assistant",
              "containerDefinitions": [
                {
                  "name": "assistant",
                  "image": "nginx:1.27",
                  "secrets": [
                    { "name": "OPENAI_ASSISTANT_ID", "valueFrom": "{{SecretArn}}:assistant_id::" },
                    { "name": "OPENAI_MODEL", "valueFrom": "{{SecretArn}}:model::" },
                    { "name": "OPENAI_HOST", "valueFrom": "{{SecretArn}}:host::" }
                  ]
                }
              ]
            }
            """);
        _repo.Write("deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: assistant, namespace: shop }
            spec:
              selector: { matchLabels: { app: assistant } }
              template:
                metadata: { labels: { app: assistant } }
                spec:
                  containers:
                    - name: assistant
                      image: nginx:1.27
                      env:
                        - name: OPENAI_KEY
                          valueFrom: { secretKeyRef: { name: ai, key: OPENAI_KEY } }
            """);
    }

    private static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));

    private void WriteScript(string name, string body)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r", "") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private (GroundcrewCli.Run Run, List<JsonNode> Findings, string Calls) CheckLive(params string[] flags)
    {
        File.WriteAllText(_log, "");
        var run = GroundcrewCli.ExecWith(["check", _repo.Path, "--live", "--region", "us-east-1", "--format", "json", .. flags],
            environment: new Dictionary<string, string> { ["PATH"] = $"{_bin}:{Environment.GetEnvironmentVariable("PATH")}" });
        run.ExitCode.Should().BeOneOf([0, 1], run.Stderr);
        var findings = JsonNode.Parse(run.Stdout)!["findings"]!.AsArray().Select(f => f!).ToList();
        (run.Stdout + run.Stderr).Should().NotContain("never-printed").And.NotContain("your-openai", "no output ever holds a secret value");
        return (run, findings, File.ReadAllText(_log));
    }

    private static List<string> Messages(List<JsonNode> findings, string rule) =>
        findings.Where(f => f["ruleId"]!.GetValue<string>() == rule).Select(f => f["message"]!.GetValue<string>()).ToList();

    [Fact]
    public void Without_the_flags_check_live_reads_no_secret_value_and_flags_nothing_that_needs_one()
    {
        var (_, findings, calls) = CheckLive();
        calls.Should().Contain("aws secretsmanager list-secrets").And.Contain("kubectl get secrets", "the live collection did run");
        calls.Should().NotContain("get-secret-value");
        Messages(findings, "live-secret-value-placeholder").Should().BeEmpty("no value was read");
        Messages(findings, "live-secret-key-missing").Should().NotContain(m => m.Contains("`host`"), "the key names were not read either");
    }

    [Fact]
    public void With_read_secret_values_check_live_names_the_placeholder_keys_on_both_sides_and_never_a_value()
    {
        var (_, findings, calls) = CheckLive("--read-secret-values");
        calls.Split('\n').Count(c => c.Contains("secretsmanager get-secret-value")).Should().Be(1);
        var placeholders = Messages(findings, "live-secret-value-placeholder");
        placeholders.Should().HaveCount(2, string.Join("\n", placeholders));
        placeholders.Should().Contain(m => m.Contains("secret `app/openai`: the value of key `assistant_id` looks like a placeholder"));
        placeholders.Should().Contain(m => m.Contains("Secret `ai`") && m.Contains("the value of key `OPENAI_KEY` looks like a placeholder"));
        placeholders.Should().NotContain(m => m.Contains("`model`") || m.Contains("`TOKEN`"), "only the keys that hold a placeholder are named");
    }

    [Fact]
    public void With_read_secret_keys_check_live_finds_the_key_the_secret_lacks_and_judges_no_value()
    {
        var (_, findings, calls) = CheckLive("--read-secret-keys");
        calls.Should().Contain("secretsmanager get-secret-value");
        Messages(findings, "live-secret-key-missing").Should().ContainSingle(m => m.Contains("selects JSON key `host`") && m.Contains("holds only `assistant_id`, `model`"));
        Messages(findings, "live-secret-value-placeholder").Should().BeEmpty("--read-secret-keys keeps key names, not placeholder flags");
    }

    [Fact]
    public void The_flags_without_live_are_a_usage_error_that_says_where_they_belong()
    {
        var inventory = _repo.Write("inventory.json", """{"groundcrewInventory":1,"takenAt":"2026-12-07T00:00:00Z","sources":{},"notCollected":[]}""");
        var withFile = GroundcrewCli.Exec("check", _repo.Path, "--inventory", inventory, "--read-secret-values");
        withFile.ExitCode.Should().Be(2);
        withFile.Stderr.Should().Contain("--read-secret-values applies when collecting").And.Contain("groundcrew inventory");
        var alone = GroundcrewCli.Exec("check", _repo.Path, "--read-secret-keys");
        alone.ExitCode.Should().Be(2);
        alone.Stderr.Should().Contain("--read-secret-keys needs --live");
    }

    public void Dispose()
    {
        _repo.Dispose();
        try { Directory.Delete(_bin, true); } catch (IOException) { }
    }
}
