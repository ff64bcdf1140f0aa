using System.Text;
using FluentAssertions;
using Groundcrew.Diagnose;
using Groundcrew.Diagnose.Input;
using Groundcrew.Diagnose.Matching;
using Xunit;

namespace Groundcrew.Tests.Diagnose;

/// <summary>Each input kind is recognised by content and its facts reach the matcher.</summary>
public class InputReaderTests
{
    private static (ReadResult Read, DiagnosisReport Report) Diagnose(string fixture)
    {
        var read = InputReader.ReadFile(DiagnoseFixtures.PathOf(fixture));
        return (read, DiagnoseRun.Run([read]));
    }

    private static IEnumerable<string> Ids(DiagnosisReport r) => r.Matches.Select(m => m.Signature.Id);

    [Fact]
    public void Kubectl_describe_gives_the_termination_reason_precedence_over_the_generic_crash_loop()
    {
        var (read, report) = Diagnose("describe-pod-oom.txt");

        read.Kind.Should().Be(InputKind.KubectlDescribe);
        read.Observations.Should().Contain(o => o.Kind == ObservationKind.Terminated && o.Reason == "OOMKilled" && o.ExitCode == 137);
        Ids(report).Should().StartWith("oom-killed").And.Contain("probe-connection-refused").And.NotContain("crashloop-unexplained");
        report.Matches.First(m => m.Signature.Id == "probe-connection-refused").Captures["address"].Should().Be("10.0.12.77:3000");
    }

    [Fact]
    public void Pod_list_json_reads_last_state_messages_and_unschedulable_conditions_of_each_pod()
    {
        var (read, report) = Diagnose("pods-list.json");

        read.Kind.Should().Be(InputKind.KubernetesJson);
        Ids(report).Should().Contain(["exec-format-error", "insufficient-memory"]).And.NotContain("crashloop-unexplained");
        report.Matches.First(m => m.Signature.Id == "insufficient-memory").Evidence.Single().Text
            .Should().StartWith("pod/execution-service-7c9d8b6f5-4xkqz: condition Unschedulable");
        read.Observations.Should().NotContain(o => o.Subject.Contains("healthy-1"));
    }

    [Fact]
    public void Pod_list_yaml_is_read_like_json()
    {
        var (read, report) = Diagnose("pods.yaml");

        read.Kind.Should().Be(InputKind.KubernetesYaml);
        Ids(report).Should().Equal("image-pull-backoff-unexplained");
        report.Matches[0].Evidence[0].Text.Should().Contain("pod/finance-service-production-5cf56c79b9-2qfcm container finance-service: waiting ImagePullBackOff");
    }

    [Fact]
    public void Event_list_matches_on_event_reason_and_message_and_ignores_normal_events()
    {
        var (_, report) = Diagnose("events.json");

        Ids(report).Should().BeEquivalentTo(["alb-https-listener-without-certificate", "insufficient-cpu"]);
        report.Matches.First(m => m.Signature.Id == "alb-https-listener-without-certificate").Evidence[0].Text.Should().StartWith("ingress/os-service: event FailedDeployModel");
    }

    [Fact]
    public void Ecs_describe_tasks_uses_stop_code_and_returns_ranked_causes_for_resource_initialization_error()
    {
        var (read, report) = Diagnose("ecs-describe-tasks.json");

        read.Kind.Should().Be(InputKind.EcsTasksJson);
        Ids(report).Should().StartWith("ecs-resource-initialization-error").And.Contain("essential-container-exited-unexplained");
        var hypotheses = report.Matches[0].Hypotheses.Select(h => h.Hypothesis.Id);
        hypotheses.Should().Equal("no-network-path", "execution-role-missing-permission", "secret-reference-wrong");
        report.Matches[0].PreventedBy.Should().StartWith("private-subnet-no-egress");
    }

    [Fact]
    public void Ecs_describe_services_reads_service_events()
    {
        var (read, report) = Diagnose("ecs-describe-services.json");

        read.Kind.Should().Be(InputKind.EcsServicesJson);
        Ids(report).Should().Equal("ecs-elb-health-check-failed");
        report.Matches[0].Captures.Should().Contain("port", "8000");
    }

    [Fact]
    public void CloudWatch_export_is_read_as_log_lines_with_line_numbers()
    {
        var (read, report) = Diagnose("cloudwatch-log-events.json");

        read.Kind.Should().Be(InputKind.CloudWatchJson);
        Ids(report).Should().Equal("python-keyerror-secret-field");
        report.Matches[0].Evidence.Should().Contain(e => e.Line == 5 && e.Text == "KeyError: 'host'");
    }

    [Fact]
    public void Binary_input_is_a_problem_naming_the_file_not_a_crash()
    {
        var result = InputReader.ReadBytes("core.dump", [0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]);

        result.Observations.Should().BeEmpty();
        result.Problems.Should().ContainSingle().Which.Should().Be(new InputProblem("core.dump", "binary file, not a log or a JSON/YAML document; skipped"));
    }

    [Fact]
    public void Malformed_json_is_reported_and_still_scanned_as_text()
    {
        var (read, report) = Diagnose("truncated-describe-tasks.json");

        read.Problems.Should().ContainSingle().Which.Message.Should().StartWith("malformed JSON (line 2");
        Ids(report).Should().Equal("ecs-elb-health-check-failed");
    }

    [Fact]
    public void Json_lines_logs_are_plain_logs_not_malformed_json()
    {
        var text = "{\"level\":\"info\",\"msg\":\"starting\"}\n{\"level\":\"error\",\"msg\":\"Error: Cannot find module '@nestjs/core'\"}\n";
        var read = InputReader.ReadBytes("app.jsonl", Encoding.UTF8.GetBytes(text));

        read.Problems.Should().BeEmpty();
        DiagnoseRun.Run([read]).Matches.Select(m => m.Signature.Id).Should().Equal("node-cannot-find-module");
    }

    [Fact]
    public void Nothing_matched_shows_failing_events_but_not_routine_ones()
    {
        var events = """
            {"apiVersion":"v1","kind":"EventList","items":[
              {"kind":"Event","reason":"Scheduled","message":"Successfully assigned ftc-app/api-1 to node-1","involvedObject":{"kind":"Pod","name":"api-1"}},
              {"kind":"Event","reason":"SyncFailed","message":"sync failed: upstream rejected the manifest","involvedObject":{"kind":"Application","name":"api"}}]}
            """;
        var report = DiagnoseRun.Run(new InputDocument("events.json", events));

        report.Matches.Should().BeEmpty();
        report.UnmatchedErrorLines.Select(l => l.Text).Should().Equal("application/api: event SyncFailed: sync failed: upstream rejected the manifest");
    }

    [Fact]
    public void Nothing_matched_keeps_the_lines_that_looked_like_errors()
    {
        var (_, report) = Diagnose("unrelated.log");

        report.Matches.Should().BeEmpty();
        report.UnmatchedErrorLines.Select(l => l.Line).Should().Equal(3);
    }
}

public class YieldTests
{
    [Fact]
    public void A_many_cause_message_steps_aside_only_for_the_specific_error_on_the_same_line()
    {
        var sameLine = DiagnoseRun.Run(new InputDocument("task.log",
            "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: AccessDeniedException: User: arn:aws:sts::1:assumed-role/exec/x is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf"));
        var twoFailures = DiagnoseRun.Run(new InputDocument("report.md",
            "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm\n" +
            "later, another service: User: arn:aws:sts::1:assumed-role/exec/x is not authorized to perform: secretsmanager:GetSecretValue on resource: db"));

        sameLine.Matches.Select(m => m.Signature.Id).Should().Equal("execution-role-cannot-read-secret");
        twoFailures.Matches.Select(m => m.Signature.Id).Should().BeEquivalentTo(["execution-role-cannot-read-secret", "ecs-resource-initialization-error"]);
    }

    [Fact]
    public void The_generic_crash_loop_steps_aside_when_the_logs_explain_the_crash()
    {
        var report = DiagnoseRun.Run(
            new InputDocument("pods.txt", "api-7d9f   0/1   CrashLoopBackOff   4   2m"),
            new InputDocument("api.log", "Error: Cannot find module '@nestjs/core'"));

        report.Matches.Select(m => m.Signature.Id).Should().Equal("node-cannot-find-module");
    }
}

public class LargeInputTests
{
    [Fact]
    public void A_large_log_is_matched_by_every_signature_within_the_time_limit()
    {
        // 40,000 ordinary lines (about 3 MB) around one real error: no signature may give up on it.
        var lines = Enumerable.Range(0, 40_000)
            .Select(i => $"2026-11-22T04:{i % 60:00}:00Z INFO request id={i} path=/api/items/{i} user=Customer{i} status=200 duration={i % 300}ms")
            .ToList();
        lines[30_000] = "ValueError: Failed to validate database credentials: Database password not found";

        var report = DiagnoseRun.Run(new InputDocument("big.log", string.Join("\n", lines)));

        report.Problems.Should().BeEmpty();
        report.Matches.Select(m => m.Signature.Id).Should().Equal("required-secret-not-found-at-startup");
        report.Matches[0].Evidence.Single().Line.Should().Be(30_001);
    }
}

public class SecretScrubberTests
{
    [Theory]
    [InlineData("DB_PASSWORD=hunter2hunter2", "DB_PASSWORD=****")]
    [InlineData("\"apiKey\": \"abcd1234efgh\"", "\"apiKey\": \"****\"")]
    [InlineData("REDIS_AUTH_TOKEN: s3cr3tvalue", "REDIS_AUTH_TOKEN: ****")]
    [InlineData("postgresql://mlflow:sudoAhvVLKh0J1XPdiqGA5OWB8oMMN@db:5432/x", "postgresql://mlflow:****@db:5432/x")]
    [InlineData("on resource: arn:aws:secretsmanager:us-east-1:1:secret:hokusai/app-secrets/development-G9l4vD", "on resource: arn:aws:secretsmanager:us-east-1:1:secret:hokusai/app-secrets/development-G9l4vD")]
    [InlineData("password authentication failed for user \"mlflow\"", "password authentication failed for user \"mlflow\"")]
    public void Input_quotes_lose_secret_values_but_keep_evidence(string input, string expected)
    {
        Groundcrew.Core.Redactor.ScrubPatterns(input).Should().Be(expected);
    }

    [Fact]
    public void Evidence_and_unmatched_lines_are_masked()
    {
        var matched = DiagnoseRun.Run(new InputDocument("build.log", "Error: Cannot find module 'private-lib' (NPM_TOKEN=npm_Pr0dT0kenValue)"));
        var unmatched = DiagnoseRun.Run(new InputDocument("env.txt", "ERROR rejected DATABASE_PASSWORD=Pr0dPassw0rd!"));

        matched.Matches.Single().Evidence.Single().Text.Should().Be("Error: Cannot find module 'private-lib' (NPM_TOKEN=****", "the whole value is masked, even a closing bracket that might belong to it");
        unmatched.UnmatchedErrorLines.Single().Text.Should().Be("ERROR rejected DATABASE_PASSWORD=****");
    }
}

public class InputKindEdgeTests
{
    [Theory]
    [InlineData("[Nest] 1  - 11/22/2026, 4:00:00 AM   ERROR [ExceptionHandler] Nest can't resolve dependencies of the UsersService (?).")]
    [InlineData("[2026-11-22 04:00:00] app.ERROR: Error: Cannot find module 'express'")]
    [InlineData("{\"level\":\"info\",\"msg\":\"boot\"}\nError: Cannot find module 'express'")]
    public void Logs_that_start_with_a_bracket_are_logs_not_malformed_json(string log)
    {
        var read = InputReader.Read(new InputDocument("app.log", log));

        read.Problems.Should().BeEmpty();
        read.Kind.Should().Be(InputKind.PlainText);
        DiagnoseRun.Run([read]).Matches.Should().NotBeEmpty();
    }

    [Fact]
    public void A_manifest_without_status_is_still_scanned_for_text()
    {
        var manifest = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: os-service
              annotations:
                eks.amazonaws.com/role-arn: arn:aws:iam::ACCOUNT_ID:role/os-service-role
            """;

        var report = DiagnoseRun.Run(new InputDocument("sa.yaml", manifest));

        report.Matches.Select(m => m.Signature.Id).Should().Equal("invalid-role-arn-placeholder");
        report.Matches[0].Evidence[0].Text.Should().Be("eks.amazonaws.com/role-arn: arn:aws:iam::ACCOUNT_ID:role/os-service-role");
    }
}

public class OddYamlTests
{
    [Fact]
    public void Yaml_with_complex_keys_does_not_crash_and_is_still_read()
    {
        var yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: odd
            data:
              ? [a, b]
              : pair
              note: "exec /usr/bin/dumb-init: exec format error"
            """;

        var read = InputReader.Read(new InputDocument("odd.yaml", yaml));

        read.Problems.Should().BeEmpty();
        DiagnoseRun.Run([read]).Matches.Select(m => m.Signature.Id).Should().Contain("exec-format-error");
    }
}
