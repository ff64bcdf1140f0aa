using System.Net.Sockets;
using System.Text.Json.Nodes;
using Groundcrew.Tests.Support;

namespace Groundcrew.Tests.Diagnose.Live;

/// <summary>
/// moto_server on 127.0.0.1 and an environment that points the aws CLI at it with dummy credentials
/// and no user configuration, so a test can never reach a real account.
/// </summary>
public sealed class MotoServer : IDisposable
{
    private readonly ServerProcess _process;
    private MotoSeeder? _seeder;
    private readonly string _home = Directory.CreateTempSubdirectory("gc-moto-").FullName;

    public int Port { get; } = FakeKubeApiServer.FreePort();

    public IReadOnlyDictionary<string, string> Environment { get; }

    public MotoServer()
    {
        Environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{Port}",
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_CONFIG_FILE"] = Path.Combine(_home, "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_home, "credentials"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["HOME"] = _home,
        };
        _process = ServerProcess.Start("moto_server", ["-H", "127.0.0.1", "-p", Port.ToString()]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Listening())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                // The constructor throws, so no one will ever call Dispose: stop the server here.
                var output = _process.RecentOutput();
                Dispose();
                throw new InvalidOperationException($"moto_server did not start on 127.0.0.1:{Port}:\n{output}");
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// Arranges state for a test with one API call ("ecs", "create-cluster", {"clusterName": ...}) through one boto3
    /// process for this server (<see cref="MotoSeeder"/>), in milliseconds instead of an aws CLI start-up per call; what
    /// the test checks still runs through the real aws CLI.
    /// </summary>
    public JsonObject Seed(string service, string operation, JsonObject? parameters = null) =>
        (_seeder ??= MotoSeeder.Start($"http://127.0.0.1:{Port}")).Call(service, operation, parameters);

    private bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    public void Dispose()
    {
        _seeder?.Dispose();
        _process.Dispose();
        try { Directory.Delete(_home, true); } catch (IOException) { }
    }
}
