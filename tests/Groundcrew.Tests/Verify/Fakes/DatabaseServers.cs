using System.Diagnostics;
using System.Net.Sockets;
using MySqlConnector;
using Npgsql;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Verify.Fakes;

/// <summary>
/// Real database servers from Debian's packages (postgresql, mariadb-server; .ci/run installs them), each in
/// a temporary data directory on 127.0.0.1 and a free port, stopped when the tests end. PostgreSQL refuses
/// to run as root, so as root its server runs as the `postgres` user the package creates; MariaDB is told
/// `--user=root`. A missing server fails the tests with the package to install: never a silent pass.
/// </summary>
public abstract class DatabaseServer : IAsyncLifetime
{
    protected ServerProcess? Server;
    protected readonly string DataDir = Path.Combine(Path.GetTempPath(), $"gc-db-{Guid.NewGuid():N}"[..18]);
    public int Port { get; } = OrderFlowTests.FreePort();
    public const string User = "shop", Password = "db-pa55-Kq81";
    public abstract string ConnectionString { get; }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Creates the data directory, starts the server and makes the database; a failure anywhere stops the server.</summary>
    public async Task InitializeAsync()
    {
        try { await StartAsync(); }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    protected abstract Task StartAsync();

    protected static string Find(string package, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{Path.GetFileName(candidates[0])} not found: install the Debian package ({package}); .ci/run does");

    protected static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}{await stdout}");
    }

    protected void Start(string file, params string[] args) => Server = ServerProcess.Start(file, args);

    protected async Task WaitForPortAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Server is { HasExited: true }) break;
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        throw new InvalidOperationException($"{GetType().Name} did not start on 127.0.0.1:{Port}:\n{Server?.RecentOutput()}");
    }

    public Task DisposeAsync()
    {
        Server?.Dispose();
        Server = null;
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}

/// <summary>PostgreSQL 15 with scram-sha-256 passwords, a database "shop" owned by user "shop".</summary>
public sealed class PostgresServer : DatabaseServer
{
    public override string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=shop;Username={User};Password={Password}";

    protected override async Task StartAsync()
    {
        var bin = Path.GetDirectoryName(Find("postgresql", "/usr/lib/postgresql/15/bin/initdb", "/usr/lib/postgresql/16/bin/initdb", "/usr/lib/postgresql/17/bin/initdb", "/usr/bin/initdb"))!;
        Directory.CreateDirectory(DataDir);
        var pwfile = Path.Combine(DataDir, "pw");
        await File.WriteAllTextAsync(pwfile, "admin-pw\n");
        var data = Path.Combine(DataDir, "data");
        // As root, everything the server touches must belong to the user it runs as.
        string[] As(string program, params string[] args) => IsRoot ? ["-u", "postgres", "--", program, .. args] : args;
        var runner = IsRoot ? "/usr/sbin/runuser" : null;
        if (IsRoot) await RunAsync("/bin/chown", "-R", "postgres", DataDir);
        var initdb = Path.Combine(bin, "initdb");
        string[] initArgs = ["-D", data, "-U", "admin", "--pwfile", pwfile, "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C"];
        if (runner != null) await RunAsync(runner, As(initdb, initArgs)); else await RunAsync(initdb, initArgs);
        var postgres = Path.Combine(bin, "postgres");
        string[] serverArgs = ["-D", data, "-p", Port.ToString(), "-k", DataDir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"];
        if (runner != null) Start(runner, As(postgres, serverArgs)); else Start(postgres, serverArgs);
        await WaitForPortAsync();

        var admin = $"Host=127.0.0.1;Port={Port};Database=postgres;Username=admin;Password=admin-pw;Pooling=false";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var c = new NpgsqlConnection(admin);
                await c.OpenAsync();
                foreach (var sql in new[] { $"CREATE USER {User} PASSWORD '{Password}'", $"CREATE DATABASE shop OWNER {User}" })
                    await new NpgsqlCommand(sql, c).ExecuteNonQueryAsync();
                break;
            }
            catch (PostgresException ex) when (ex.SqlState == "57P03" && attempt < 50) { await Task.Delay(100); } // still starting
        }
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await c.OpenAsync();
        await new NpgsqlCommand(sql, c).ExecuteNonQueryAsync();
    }
}

/// <summary>MariaDB with a database "shop" and a password user "shop" reachable over TCP.</summary>
public sealed class MariaDbServer : DatabaseServer
{
    public override string ConnectionString => $"Server=127.0.0.1;Port={Port};Database=shop;User ID={User};Password={Password}";

    protected override async Task StartAsync()
    {
        var install = Find("mariadb-server", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db");
        var server = Find("mariadb-server", "/usr/sbin/mariadbd", "/usr/sbin/mysqld");
        Directory.CreateDirectory(DataDir);
        var data = Path.Combine(DataDir, "data");
        var socket = Path.Combine(DataDir, "sock");
        string[] user = IsRoot ? ["--user=root"] : [];
        await RunAsync(install, ["--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", .. user]);
        Start(server, ["--no-defaults", $"--datadir={data}", $"--port={Port}", "--bind-address=127.0.0.1", $"--socket={socket}",
            "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M", .. user]);
        await WaitForPortAsync();
        // The install left root@localhost without a password, reachable through the socket only.
        await using var c = new MySqlConnection($"Server={socket};Protocol=Unix;User ID=root;Pooling=false");
        await c.OpenAsync();
        foreach (var sql in new[] { "CREATE DATABASE shop", $"CREATE USER '{User}'@'%' IDENTIFIED BY '{Password}'", $"GRANT ALL ON shop.* TO '{User}'@'%'" })
            await new MySqlCommand(sql, c).ExecuteNonQueryAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var c = new MySqlConnection(ConnectionString + ";Pooling=false");
        await c.OpenAsync();
        await new MySqlCommand(sql, c).ExecuteNonQueryAsync();
    }
}
