using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Groundcrew.Tests.Verify;
using Groundcrew.Verify;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>
/// verify reads response bodies through a bounded buffer: an endless chunked body or a huge one fails the step as
/// "body too large" (the service answered), instead of growing to gigabytes and being reported as "could not connect".
/// </summary>
public class ResponseBodyLimitTests
{
    public enum Body { EndlessChunked, HugeWithLength, CutOff }

    [Theory]
    [InlineData(Body.EndlessChunked, "the body went past")]
    [InlineData(Body.HugeWithLength, "-byte body, more than")]
    [InlineData(Body.CutOff, "the body broke off after")]
    public async Task A_body_verify_cannot_take_fails_the_step_truthfully_with_memory_bounded(Body kind, string message)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // the server stops by itself
        var serving = Task.Run(async () =>
        {
            using var client = await server.AcceptTcpClientAsync(stop.Token);
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096], stop.Token);
            var head = kind switch
            {
                Body.EndlessChunked => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
                Body.HugeWithLength => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3000000000\r\n\r\n",
                _ => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n",
            };
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop.Token);
            var chunk = new string('x', 65536);
            var piece = Encoding.ASCII.GetBytes(kind == Body.EndlessChunked ? $"{chunk.Length:x}\r\n{chunk}\r\n" : chunk);
            try
            {
                if (kind == Body.CutOff) { await stream.WriteAsync(piece.AsMemory(0, 1000), stop.Token); client.Client.Close(); return; }
                while (!stop.IsCancellationRequested) await stream.WriteAsync(piece, stop.Token); // until the client hangs up
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException) { }
        });
        var flow = Path.Combine(Harness.TempDir(), "big.yaml");
        File.WriteAllText(flow, $$"""
            name: big-body
            steps:
              - name: fetch
                request: { url: "http://127.0.0.1:{{port}}/big" }
                expect: { status: 200 }
            """);
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = Stopwatch.StartNew();

        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));

        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain(message).And.NotContain("could not connect");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        (Process.GetCurrentProcess().PeakWorkingSet64 - before).Should().BeLessThan(300L * 1024 * 1024, "the body is read into a bounded buffer");
    }
}
