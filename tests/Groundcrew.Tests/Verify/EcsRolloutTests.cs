using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify.Rollout;
using System.Text.Json.Nodes;
using Groundcrew.Core;
using Xunit;
using Groundcrew.Tests.Support;

namespace Groundcrew.Tests.Verify;

/// <summary>`groundcrew verify --rollout ecs` as a child process, with the real aws CLI talking to moto_server.</summary>
[RunsLong]
public class EcsRolloutTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task A_stable_service_passes()
    {
        var run = await Harness.CliAsync(["--rollout", "ecs", "shop/api", "--timeout", "30s", "--interval", "500ms"], moto.AwsEnvironment());
        run.ExitCode.Should().Be(0, run.StdOut + run.StdErr);
        run.StdOut.Should().Contain("ok   shop/api: service shop/api: 2/2 running, rollout COMPLETED");
    }

    [Fact]
    // 15 s, not less: the message needs one answer from the aws CLI before the timeout, and one took 9 s on a busy machine.
    public async Task A_service_short_of_its_desired_count_times_out_with_exit_3_and_shows_stopped_tasks()
    {
        var run = await Harness.CliAsync(["--rollout", "ecs", "shop/worker", "--timeout", "15s", "--interval", "500ms"], moto.AwsEnvironment());
        run.ExitCode.Should().Be(3, run.StdOut + run.StdErr);
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the timeout ends the wait even while aws CLI calls are slow");
        run.StdOut.Should().Contain("timed out after 15s: service shop/worker: 2 of 3 tasks running, rollout IN_PROGRESS");
        run.StdOut.Should().Contain("stopped reason: ResourceInitializationError: unable to pull secrets or registry auth");
    }

    [Fact]
    public async Task A_missing_service_fails_at_once()
    {
        var run = await Harness.CliAsync(["--rollout", "ecs", "shop/ghost", "--timeout", "180s"], moto.AwsEnvironment());
        run.ExitCode.Should().Be(3, run.StdOut + run.StdErr);
        run.StdOut.Should().Contain("service shop/ghost: MISSING");
        run.StdOut.Should().NotContain("timed out after", "a missing service is final: no waiting for the timeout");
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(120), "well before the 180 s timeout, even with slow aws CLI calls on a busy machine");
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_exit_4()
    {
        var run = await Harness.CliAsync(["--rollout", "ecs", "shop/api", "--timeout", "30s"],
            moto.AwsEnvironment($"http://127.0.0.1:{OrderFlowTests.FreePort()}"));
        run.ExitCode.Should().Be(4, run.StdOut + run.StdErr);
        run.StdOut.Should().Contain("Could not connect to the endpoint URL");
    }
}

/// <summary>The parts of the ECS judgement moto cannot produce: a circuit-breaker failure, two live deployments, no rolloutState.</summary>
public class EcsRolloutStatusTests
{
    private static readonly EcsService Target = new("prod", "hokusai-api");

    private static JsonObject Describe(string deployments, int desired = 2, int running = 2) => JsonValues.ParseObject($$"""
        {"services":[{"serviceName":"hokusai-api","status":"ACTIVE","desiredCount":{{desired}},"runningCount":{{running}},
          "deployments":{{deployments}},
          "events":[{"createdAt":"2026-11-20T10:00:00Z","message":"(service hokusai-api) failed to launch a task with (error ECS was unable to assume the role)."}]}],
         "failures":[]}
        """);

    [Fact]
    public void A_circuit_breaker_failure_fails_at_once()
    {
        var state = EcsRolloutStatus.Evaluate(Target, Describe("""[{"id":"ecs-svc/1","status":"PRIMARY","runningCount":0,"desiredCount":2,"rolloutState":"FAILED","rolloutStateReason":"ECS deployment circuit breaker: tasks failed to start."}]""", running: 0));
        state.Phase.Should().Be(RolloutPhase.Failed);
        state.Message.Should().Contain("circuit breaker: tasks failed to start");
    }

    [Fact]
    public void Old_tasks_still_draining_is_not_done_even_at_full_count()
    {
        var state = EcsRolloutStatus.Evaluate(Target, Describe("""[{"id":"a","status":"PRIMARY","runningCount":2,"desiredCount":2,"rolloutState":"IN_PROGRESS"},{"id":"b","status":"ACTIVE","runningCount":1,"desiredCount":0,"rolloutState":"COMPLETED"}]"""));
        state.Phase.Should().Be(RolloutPhase.Waiting);
        state.Message.Should().Contain("2 deployments active");
    }

    [Fact]
    public void Without_rolloutState_one_deployment_at_full_count_is_stable()
    {
        var state = EcsRolloutStatus.Evaluate(Target, Describe("""[{"id":"a","status":"PRIMARY","runningCount":2,"desiredCount":2}]"""));
        state.Phase.Should().Be(RolloutPhase.Done);
        state.Message.Should().Contain("rollout state not reported");
    }

    [Fact]
    public void Stopped_tasks_become_evidence_with_their_reasons()
    {
        var tasks = JsonValues.ParseObject("""
            {"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/0f1e2d","lastStatus":"STOPPED","stopCode":"TaskFailedToStart",
              "stoppedReason":"ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: AccessDeniedException",
              "containers":[{"name":"api","lastStatus":"STOPPED","reason":"CannotPullContainerError"}]}]}
            """);
        var evidence = EcsRolloutStatus.StoppedTasks(tasks);
        var e = evidence.Should().ContainSingle().Subject;
        e.Subject.Should().Be("task/0f1e2d");
        e.State.Should().Contain(s => s.Contains("stop code TaskFailedToStart"));
        e.Signals.Should().Contain("TaskFailedToStart").And.Contain("CannotPullContainerError");
        EcsRolloutStatus.RecentEvents(Describe("[]")).Should().ContainSingle().Which.Should().Contain("unable to assume the role");
    }
}
