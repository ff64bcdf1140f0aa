using System.Diagnostics;
using System.Net.Http;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Verify.Fakes;

/// <summary>
/// moto_server on loopback, seeded through the real aws CLI: a cluster "shop" with a service that is
/// stable ("api", 2 of 2 running) and one that never gets there ("worker", 2 of 3), plus a stopped task
/// with a stoppedReason. moto reports every service's runningCount from MOTO_ECS_SERVICE_RUNNING.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private ServerProcess? _process;
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

        await Aws("ecs", "create-cluster", "--cluster-name", "shop");
        await Aws("ecs", "register-task-definition", "--family", "api",
            "--container-definitions", """[{"name":"api","image":"registry.example/api:2","essential":true,"memory":256,"cpu":128}]""");
        await Aws("ecs", "create-service", "--cluster", "shop", "--service-name", "api", "--task-definition", "api", "--desired-count", "2");
        await Aws("ecs", "create-service", "--cluster", "shop", "--service-name", "worker", "--task-definition", "api", "--desired-count", "3");
        var task = await Aws("ecs", "run-task", "--cluster", "shop", "--task-definition", "api", "--launch-type", "FARGATE",
            "--started-by", "ecs-svc/1234", "--query", "tasks[0].taskArn", "--output", "text");
        await Aws("ecs", "stop-task", "--cluster", "shop", "--task", task.Trim(), "--reason",
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm");
    }

    public async Task<string> Aws(params string[] args)
    {
        var info = new ProcessStartInfo("aws") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in AwsEnvironment()) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)} failed: {stderr}");
        return await stdout;
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        _process = null;
        return Task.CompletedTask;
    }
}
