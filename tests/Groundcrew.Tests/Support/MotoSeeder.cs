using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Tests.Support;

/// <summary>
/// Arranges state in a moto_server for a test: ONE python3 process with boto3 (moto_server's own dependency, so it is
/// installed wherever moto is) that makes every seeding call of a fixture over one connection, instead of one aws CLI
/// process per call (each of which starts Python and loads botocore again, 0.5-1.5 s under load). Seeding is the test's
/// arrangement, not the behaviour under test: the calls Groundcrew itself makes still go through the real aws CLI.
/// Operations are named as the aws CLI names them ("create-queue"), parameters as the API does ({"QueueName": ...}).
/// </summary>
public sealed class MotoSeeder : IDisposable
{
    // One JSON request a line on stdin ({"service", "operation", "params"}), one JSON answer a line on stdout.
    private const string Script = """
        import base64, datetime, json, sys
        import boto3, botocore.config
        endpoint = sys.argv[1]
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
        config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
        clients = {}
        def plain(o):
            if isinstance(o, (datetime.datetime, datetime.date)): return o.isoformat()
            if isinstance(o, (bytes, bytearray)): return base64.b64encode(o).decode()
            if hasattr(o, "read"): return base64.b64encode(o.read()).decode()
            return str(o)
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            try:
                service = request["service"]
                if service not in clients:
                    clients[service] = session.client(service, endpoint_url=endpoint, config=config)
                client = clients[service]
                answer = getattr(client, request["operation"].replace("-", "_"))(**request["params"])
                answer.pop("ResponseMetadata", None)
                print(json.dumps({"ok": answer}, default=plain), flush=True)
            except Exception as e:
                print(json.dumps({"error": type(e).__name__ + ": " + str(e)}), flush=True)
        """;

    private readonly Process _process;
    private readonly SemaphoreSlim _one = new(1, 1);

    private MotoSeeder(Process process) => _process = process;

    /// <summary>Starts the seeding process for the moto_server at <paramref name="endpoint"/> (http://127.0.0.1:PORT).</summary>
    public static MotoSeeder Start(string endpoint)
    {
        var info = new ProcessStartInfo(Python())
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "-c", Script, endpoint }) info.ArgumentList.Add(a);
        // Nothing from the user's configuration, and never a real account: dummy credentials, loopback endpoint.
        info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        info.Environment.Remove("AWS_PROFILE");
        info.Environment.Remove("AWS_ENDPOINT_URL");
        var seeder = new MotoSeeder(Process.Start(info)!);
        var stderr = seeder._process.StandardError.ReadToEndAsync();
        var ready = seeder._process.StandardOutput.ReadLine();
        if (ready == null)
        {
            seeder._process.WaitForExit(10_000);
            var message = stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : "";
            seeder.Dispose();
            throw new InvalidOperationException($"the moto seeding process ({info.FileName} with boto3) did not start:\n{message}");
        }
        return seeder;
    }

    /// <summary>
    /// The interpreter moto_server runs on when its launcher names one (a virtualenv's python), else python3 from PATH
    /// (a pyenv shim or a system install, where boto3 sits beside moto).
    /// </summary>
    private static string Python()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var moto = Path.Combine(dir, "moto_server");
            if (!File.Exists(moto)) continue;
            try
            {
                using var reader = new StreamReader(moto);
                var first = reader.ReadLine() ?? "";
                if (first.StartsWith("#!") && !first.Contains("/env ") && first.Contains("python") && File.Exists(first[2..].Trim().Split(' ')[0]))
                    return first[2..].Trim().Split(' ')[0];
            }
            catch (IOException) { }
            break;
        }
        return "python3";
    }

    /// <summary>One API call; throws with moto's message when it fails. Returns the answer without ResponseMetadata.</summary>
    public async Task<JsonObject> CallAsync(string service, string operation, JsonObject? parameters = null, CancellationToken ct = default)
    {
        var request = new JsonObject { ["service"] = service, ["operation"] = operation, ["params"] = parameters ?? new JsonObject() }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        // A moto that stops answering fails the fixture instead of hanging the run (the bound is not a timing assertion).
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromMinutes(2));
        await _one.WaitAsync(bound.Token).ConfigureAwait(false);
        string? line;
        try
        {
            await _process.StandardInput.WriteLineAsync(request.AsMemory(), bound.Token).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(bound.Token).ConfigureAwait(false);
            line = await _process.StandardOutput.ReadLineAsync(bound.Token).ConfigureAwait(false);
        }
        finally { _one.Release(); }
        if (line == null) throw new InvalidOperationException($"seeding {service} {operation}: the seeding process ended");
        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["error"] is { } error) throw new InvalidOperationException($"seeding {service} {operation} failed: {error}");
        return answer["ok"]!.AsObject();
    }

    /// <summary>As <see cref="CallAsync"/>, for a fixture that seeds in its constructor.</summary>
    public JsonObject Call(string service, string operation, JsonObject? parameters = null) =>
        CallAsync(service, operation, parameters).GetAwaiter().GetResult();

    public void Dispose()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { } catch (InvalidOperationException) { }
        try { if (!_process.WaitForExit(5_000)) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
        _one.Dispose();
    }
}
