using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Live;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>The one live transport: bounded calls, closed stdin, exact command lines, classified errors, retried throttling.</summary>
public class LiveTransportTests
{
    private static readonly RetryPolicy FastRetry = new(3, TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task A_call_past_its_time_limit_is_killed_with_its_children()
    {
        var pidFile = Path.Combine(Directory.CreateTempSubdirectory("gc-pid-").FullName, "child");
        var hang = FakeBinary.Write("aws", $"sleep 60 & echo $! > {pidFile}; wait");
        var clock = Stopwatch.StartNew();

        var result = await new ProcessCommandRunner().RunAsync(hang, ["ecs", "list-clusters"], TimeSpan.FromSeconds(1), default);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        result.TimedOut.Should().BeTrue();
        result.Ok.Should().BeFalse();
        LiveErrorClassifier.Classify(result)!.Kind.Should().Be(LiveErrorKind.Timeout);
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        await Task.Delay(200);
        ProcessIsRunning(child).Should().BeFalse("the sleeping child of the hung CLI is killed too");
    }

    // A killed child whose parent is gone may linger as a zombie until the container's init reaps it: dead all the same.
    private static bool ProcessIsRunning(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(')').Last().Trim()[0] is not ('Z' or 'X'); }
        catch (IOException) { return false; }
    }

    [Fact]
    public async Task Stdin_is_closed_so_a_prompt_gets_end_of_file_instead_of_waiting()
    {
        var prompt = FakeBinary.Write("aws", "printf 'MFA code: ' >&2; if read code; then echo \"got $code\"; else echo no-input; fi");

        var result = await new ProcessCommandRunner().RunAsync(prompt, ["sts", "get-caller-identity"], TimeSpan.FromSeconds(20), default);

        result.TimedOut.Should().BeFalse();
        result.StdOut.Trim().Should().Be("no-input");
    }

    [Fact]
    public async Task The_exact_command_line_is_recorded_quoted_as_a_shell_would_need_it()
    {
        var echo = FakeBinary.Write("aws", "echo '{}'");
        var log = new CallLog();
        var aws = new AwsCli(new ProcessCommandRunner(log: log), new AwsTarget("prod sso", "eu-west-1", "http://127.0.0.1:5000", echo));

        var call = await aws.CallAsync("secretsmanager", "list-secrets", "--filters", "Key=name,Values=app/");

        call.Ok.Should().BeTrue();
        log.CommandLines.Should().Equal(
            $"{echo} secretsmanager list-secrets --filters Key=name,Values=app/ --output json --profile 'prod sso' --region eu-west-1 --endpoint-url http://127.0.0.1:5000");
        aws.Actions.Should().Equal("secretsmanager:ListSecrets");
    }

    [Fact]
    public async Task Kubectl_gets_json_with_the_context_and_kubeconfig_given()
    {
        var echo = FakeBinary.Write("kubectl", "echo '{\"items\":[]}'");
        var log = new CallLog();
        var kubectl = new Kubectl(new ProcessCommandRunner(log: log), new ClusterTarget("/tmp/kc", "prod", echo), TimeSpan.FromSeconds(20));

        var call = await kubectl.GetAsync("pods", "shop");

        call.Object["items"].Should().NotBeNull();
        log.CommandLines.Single().Should().Be($"{echo} get pods --namespace shop -o json --request-timeout=19s --kubeconfig /tmp/kc --context prod");
    }

    [Fact]
    public async Task A_missing_cli_is_not_installed()
    {
        var aws = new AwsCli(new ProcessCommandRunner(), new AwsTarget(Executable: "/nonexistent/aws"));

        var call = await aws.CallAsync("iam", "list-roles");

        call.Error!.Kind.Should().Be(LiveErrorKind.NotInstalled);
        call.Error.Fix.Should().Contain("install");
    }

    [Theory]
    [InlineData("\nAn error occurred (ExpiredTokenException) when calling the ListRoles operation: The security token included in the request is expired", LiveErrorKind.NotLoggedIn)]
    [InlineData("\nError when retrieving token from sso: Token has expired and refresh failed", LiveErrorKind.NotLoggedIn)]
    [InlineData("Unable to locate credentials. You can configure credentials by running \"aws configure\".", LiveErrorKind.NotLoggedIn)]
    [InlineData("The config profile (prod) could not be found", LiveErrorKind.NotLoggedIn)]
    [InlineData("error: You must be logged in to the server (Unauthorized)", LiveErrorKind.NotLoggedIn)]
    [InlineData("\nCould not connect to the endpoint URL: \"http://127.0.0.1:1/\"", LiveErrorKind.Unreachable)]
    [InlineData("The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?", LiveErrorKind.Unreachable)]
    [InlineData("\nAn error occurred (ResourceNotFoundException) when calling the DescribeSecret operation: Secrets Manager can't find the specified secret.", LiveErrorKind.NotFound)]
    [InlineData("Error from server (NotFound): deployments.apps \"ghost\" not found", LiveErrorKind.NotFound)]
    [InlineData("\nAn error occurred (InvalidParameterException) when calling the DescribeServices operation: bad", LiveErrorKind.Failed)]
    public void Failures_are_classified_from_what_the_cli_printed(string stderr, LiveErrorKind kind)
    {
        var error = LiveErrorClassifier.Classify(new CommandResult(stderr.Contains("Error from server") ? 1 : 254, "", stderr) { CommandLine = "aws iam list-roles --output json" });

        error!.Kind.Should().Be(kind);
        error.Message.Should().Be(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Trim());
    }

    [Fact]
    public void Access_denied_names_the_one_action_that_was_denied()
    {
        var error = LiveErrorClassifier.Classify(new CommandResult(254, "",
            "\nAn error occurred (AccessDenied) when calling the ListRoles operation: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/")
            { CommandLine = "aws iam list-roles --output json" });

        error!.Kind.Should().Be(LiveErrorKind.AccessDenied);
        error.Action.Should().Be("iam:ListRoles");
        error.Describe().Should().StartWith("access denied on iam:ListRoles");
    }

    [Fact]
    public void A_kubectl_forbidden_is_access_denied_on_that_verb_and_resource()
    {
        var error = LiveErrorClassifier.Classify(new CommandResult(1, "",
            "Error from server (Forbidden): secrets is forbidden: User \"ci\" cannot list resource \"secrets\" in API group \"\" in the namespace \"shop\"")
            { CommandLine = "kubectl get secrets -n shop -o json" });

        error!.Kind.Should().Be(LiveErrorKind.AccessDenied);
        error.Action.Should().Be("list secrets");
    }

    [Fact]
    public async Task A_throttled_call_is_retried_with_backoff_and_then_succeeds()
    {
        var counter = Path.Combine(Directory.CreateTempSubdirectory("gc-count-").FullName, "n");
        var flaky = FakeBinary.Write("aws", $$"""
            n=$(cat {{counter}} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{counter}}
            if [ $n -lt 3 ]; then echo "An error occurred (ThrottlingException) when calling the ListSecrets operation (reached max retries: 2): Rate exceeded" >&2; exit 254; fi
            echo '{"SecretList":[]}'
            """);
        var log = new CallLog();
        var aws = new AwsCli(new ProcessCommandRunner(log: log), new AwsTarget(Executable: flaky), retry: FastRetry);

        var call = await aws.CallAsync("secretsmanager", "list-secrets");

        call.Ok.Should().BeTrue(call.Error?.Describe());
        log.Calls.Should().HaveCount(3, "two throttled answers, then the real one");
    }

    [Fact]
    public async Task A_call_still_throttled_after_every_retry_is_reported_as_throttled()
    {
        var throttled = FakeBinary.Write("aws", "echo 'An error occurred (Throttling) when calling the GetRole operation: Rate exceeded' >&2; exit 254");
        var log = new CallLog();
        var aws = new AwsCli(new ProcessCommandRunner(log: log), new AwsTarget(Executable: throttled), retry: FastRetry);

        var call = await aws.CallAsync("iam", "get-role", "--role-name", "x");

        call.Error!.Kind.Should().Be(LiveErrorKind.Throttled);
        log.Calls.Should().HaveCount(3);
    }

    [Fact]
    public async Task An_access_denied_call_is_not_retried()
    {
        var denied = FakeBinary.Write("aws", "echo 'An error occurred (AccessDeniedException) when calling the ListSecrets operation: no' >&2; exit 254");
        var log = new CallLog();
        var aws = new AwsCli(new ProcessCommandRunner(log: log), new AwsTarget(Executable: denied), retry: FastRetry);

        (await aws.CallAsync("secretsmanager", "list-secrets")).Error!.Kind.Should().Be(LiveErrorKind.AccessDenied);
        log.Calls.Should().HaveCount(1);
    }

    [Fact]
    public async Task Output_that_is_not_json_is_a_failure_not_a_crash()
    {
        var text = FakeBinary.Write("aws", "echo 'hello, table output'");

        var call = await new AwsCli(new ProcessCommandRunner(), new AwsTarget(Executable: text)).CallAsync("iam", "list-roles");

        call.Error!.Kind.Should().Be(LiveErrorKind.Failed);
        call.Error.Message.Should().Contain("not JSON");
    }

    [Theory]
    [InlineData("aws iam list-open-id-connect-providers --output json", "iam:ListOpenIdConnectProviders")]
    [InlineData("aws elbv2 describe-target-groups --output json --region us-east-1", "elasticloadbalancing:DescribeTargetGroups")]
    [InlineData("/usr/bin/aws ecr batch-get-image --repository-name x", "ecr:BatchGetImage")]
    [InlineData("kubectl get pods", null)]
    public void The_iam_action_of_a_call_is_derived_from_its_command_line(string commandLine, string? action) =>
        AwsAction.FromCommandLine(commandLine).Should().Be(action);
}
