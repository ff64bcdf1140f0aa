using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Groundcrew.Verify;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>
/// A poll whose last attempt is still waiting for an answer when the deadline comes: the service did answer before
/// (the condition was simply not met), so the step fails its condition with the last response shown; it is not
/// "could not connect", which would send the reader looking for a network problem.
/// </summary>
public class PollDeadlineTests
{
    [Fact]
    public async Task A_poll_cut_off_by_its_deadline_after_earlier_answers_reports_the_unmet_condition()
    {
        // Answers 404 "not ready" three times quickly, then takes far longer than the poll allows.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var served = 0;
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await server.AcceptTcpClientAsync(stop.Token); }
                catch (OperationCanceledException) { return; }
                _ = Task.Run(async () =>
                {
                    using var c = client;
                    var stream = c.GetStream();
                    var buffer = new byte[4096];
                    try { _ = await stream.ReadAsync(buffer, stop.Token); } catch { return; }
                    if (Interlocked.Increment(ref served) > 3)
                    {
                        try { await Task.Delay(TimeSpan.FromSeconds(20), stop.Token); } catch { }
                        return;
                    }
                    var body = "not ready";
                    var reply = $"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                    try { await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), stop.Token); } catch { }
                });
            }
        });

        var dir = Harness.TempDir();
        var flow = Path.Combine(dir, "poll.yaml");
        File.WriteAllText(flow, $$"""
            name: poll-until-ready
            steps:
              - name: job finishes
                request: { url: "http://127.0.0.1:{{port}}/job" }
                poll: { until: { status: 200 }, timeout: 2s, interval: 100ms }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        await stop.CancelAsync();

        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("condition not met within 2s").And.Contain("actual   404");
    }

    [Fact]
    public async Task A_service_that_stops_listening_during_a_poll_is_reported_as_unreachable()
    {
        // Answers 503 twice, then the port closes: the last attempts are refused, which is a connection problem.
        var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await server.AcceptTcpClientAsync();
                var stream = client.GetStream();
                _ = await stream.ReadAsync(new byte[4096]);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            }
            server.Stop();
        });

        var dir = Harness.TempDir();
        var flow = Path.Combine(dir, "poll.yaml");
        File.WriteAllText(flow, $$"""
            name: poll-until-ready
            steps:
              - name: job finishes
                request: { url: "http://127.0.0.1:{{port}}/job" }
                poll: { until: { status: 200 }, timeout: 2s, interval: 100ms }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));

        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
    }
}
