using Groundcrew.Live;
using System.Diagnostics;
using System.Net.Sockets;
using Groundcrew.Diagnose.Live;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Tests.Diagnose.Live;

/// <summary>
/// moto_server on 127.0.0.1 and an environment that points the aws CLI at it with dummy credentials
/// and no user configuration, so a test can never reach a real account.
/// </summary>
public sealed class MotoServer : IDisposable
{
    private readonly Process _process;
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
        var info = new ProcessStartInfo("moto_server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-H", "127.0.0.1", "-p", Port.ToString() }) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Listening())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited) throw new InvalidOperationException("moto_server did not start on 127.0.0.1");
            Thread.Sleep(200);
        }
    }

    /// <summary>Runs an aws CLI command against moto and returns its JSON output.</summary>
    public JObject Aws(params string[] args)
    {
        var result = new ProcessCommandRunner(Environment).Run("aws", [.. args, "--output", "json"]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)}: {result.StdErr}");
        return result.StdOut.Trim().Length == 0 ? new JObject() : JObject.Parse(result.StdOut);
    }

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
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5000);
        _process.Dispose();
        try { Directory.Delete(_home, true); } catch (IOException) { }
    }
}
