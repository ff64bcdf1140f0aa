using FluentAssertions;
using Xunit;

namespace Groundcrew.Tests.Support;

/// <summary>The loopback servers tests start can never outlive the test host: disposed or not, they are stopped.</summary>
public class ServerProcessTests
{
    private static (ServerProcess Server, int Pid) StartSleeper()
    {
        var pidFile = Path.Combine(Directory.CreateTempSubdirectory("gc-server-").FullName, "pid");
        var server = ServerProcess.Start("/bin/sh", ["-c", $"echo $$ > '{pidFile}'; exec sleep 300"]);
        for (var i = 0; i < 600 && !(File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n')); i++) Thread.Sleep(50);
        return (server, int.Parse(File.ReadAllText(pidFile).Trim()));
    }

    private static bool Running(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(')').Last().Trim()[0] is not ('Z' or 'X'); }
        catch (IOException) { return false; }
    }

    private static bool StopsWithin(int pid, TimeSpan time)
    {
        var deadline = DateTime.UtcNow + time;
        while (Running(pid) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        return !Running(pid);
    }

    [Fact]
    public void A_server_stops_when_the_test_host_goes_away_without_disposing_it()
    {
        var (server, pid) = StartSleeper();
        Running(pid).Should().BeTrue();

        server.ReleaseLifeline(); // all a crashed or killed test host leaves behind: the pipe closes

        StopsWithin(pid, TimeSpan.FromSeconds(20)).Should().BeTrue("the watchdog shell stops the server when the pipe closes");
        server.Dispose();
    }

    [Fact]
    public void Dispose_stops_the_server()
    {
        var (server, pid) = StartSleeper();

        server.Dispose();

        Running(pid).Should().BeFalse();
    }
}
