using System.Net.Http;
using System.Text.Json.Nodes;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Verify.Fakes;

/// <summary>
/// moto_server on loopback, seeded through one boto3 process (<see cref="MotoSeeder"/>): a cluster "shop" with a service that is
/// stable ("api", 2 of 2 running) and one that never gets there ("worker", 2 of 3), plus a stopped task
/// with a stoppedReason. moto reports every service's runningCount from MOTO_ECS_SERVICE_RUNNING.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private ServerProcess? _process;
    private MotoSeeder? _seeder;
    public int Port { get; private set; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public Dictionary<string, string> AwsEnvironment(string? endpoint = null) => new()
    {
        ["AWS_ENDPOINT_URL"] = endpoint ?? Endpoint,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_MAX_ATTEMPTS"] = "1",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
    };

    public async Task InitializeAsync()
    {
        Port = OrderFlowTests.FreePort();
        _process = ServerProcess.Start("moto_server", ["-H", "127.0.0.1", "-p", Port.ToString()],
            new Dictionary<string, string> { ["MOTO_ECS_SERVICE_RUNNING"] = "2" });
        // A seeding call that fails, or a server that never listens, throws: the server is stopped then too.
        try { await SeedAsync(); }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task SeedAsync()
    {
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try { await http.GetAsync($"{Endpoint}/moto-api/"); break; }
            catch (HttpRequestException) when (i < 300 && !_process!.HasExited) { await Task.Delay(100); }
        }
        _seeder = MotoSeeder.Start(Endpoint);

        await Seed("ecs", "create-cluster", new() { ["clusterName"] = "shop" });
        await Seed("ecs", "register-task-definition", new()
        {
            ["family"] = "api",
            ["containerDefinitions"] = JsonNode.Parse("""[{"name":"api","image":"registry.example/api:2","essential":true,"memory":256,"cpu":128}]"""),
        });
        await Seed("ecs", "create-service", new() { ["cluster"] = "shop", ["serviceName"] = "api", ["taskDefinition"] = "api", ["desiredCount"] = 2 });
        await Seed("ecs", "create-service", new() { ["cluster"] = "shop", ["serviceName"] = "worker", ["taskDefinition"] = "api", ["desiredCount"] = 3 });
        var task = await Seed("ecs", "run-task", new() { ["cluster"] = "shop", ["taskDefinition"] = "api", ["launchType"] = "FARGATE", ["startedBy"] = "ecs-svc/1234" });
        await Seed("ecs", "stop-task", new()
        {
            ["cluster"] = "shop", ["task"] = (string)task["tasks"]![0]!["taskArn"]!,
            ["reason"] = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm",
        });
    }

    /// <summary>
    /// Arranges state for a test with one API call ("sqs", "create-queue", {"QueueName": ...}) through the fixture's
    /// <see cref="MotoSeeder"/>, in milliseconds; what the test checks still runs through the real aws CLI.
    /// </summary>
    public Task<JsonObject> Seed(string service, string operation, JsonObject? parameters = null, CancellationToken ct = default) =>
        (_seeder ?? throw new InvalidOperationException("moto_server is not started")).CallAsync(service, operation, parameters, ct);

    public Task DisposeAsync()
    {
        _seeder?.Dispose();
        _seeder = null;
        _process?.Dispose();
        _process = null;
        return Task.CompletedTask;
    }
}
