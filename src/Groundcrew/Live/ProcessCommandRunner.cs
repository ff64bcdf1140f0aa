using System.ComponentModel;
using System.Diagnostics;
using Groundcrew.Core;

namespace Groundcrew.Live;

/// <summary>
/// Real processes, always bounded: stdin is closed at once (an SSO or MFA prompt can never wait for an
/// answer), and a call still running at its time limit is killed with its whole process tree, so a hung
/// CLI (an unreachable API server, an exec credential plugin) cannot keep a verb from ending. Of each output stream at most
/// <paramref name="maxOutputBytes"/> are kept (the rest is drained and dropped, and stderr says so).
/// </summary>
public sealed class ProcessCommandRunner(IReadOnlyDictionary<string, string>? environment = null, CallLog? log = null,
    int maxOutputBytes = Groundcrew.Core.Limits.MaxProcessOutputBytes) : ICommandRunner
{
    public CallLog? Log { get; } = log;

    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var commandLine = CommandLine.Format(file, args);
        var clock = Stopwatch.StartNew();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // aws CLI v2 pipes JSON through `less` when it thinks a person is reading; never here.
        info.Environment["AWS_PAGER"] = "";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;

        Process process;
        try { process = Process.Start(info) ?? throw new Win32Exception($"could not start {file}"); }
        catch (Exception ex) when (ex is Win32Exception or FileNotFoundException)
        {
            var why = Path.IsPathRooted(file) ? $"{file} does not exist or is not executable" : $"{file} was not found on PATH";
            return Record(new CommandResult(CommandResult.NotStarted, "", $"cannot run '{file}': {why}")
                { NotStartedAtAll = true, CommandLine = commandLine, Elapsed = clock.Elapsed });
        }
        using (process)
        {
            process.StandardInput.Close(); // never wait on a prompt
            var stdout = BoundedOutput.ReadAsync(process.StandardOutput.BaseStream, maxOutputBytes);
            var stderr = BoundedOutput.ReadAsync(process.StandardError.BaseStream, maxOutputBytes);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                // Output is read to its end too: a child that exits while a grandchild still writes is not done.
                await Task.WhenAll(process.WaitForExitAsync(cts.Token), stdout.WaitAsync(cts.Token), stderr.WaitAsync(cts.Token));
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync(CancellationToken.None);
                var partialOut = await ReadWithin(stdout);
                var partialErr = await ReadWithin(stderr);
                var why = ct.IsCancellationRequested ? "was cancelled" : $"did not answer within {timeout.TotalSeconds:0.#}s";
                return Record(Result(CommandResult.KilledAtTimeout, partialOut, partialErr, $"{Path.GetFileName(file)} {why}") with
                    { TimedOut = !ct.IsCancellationRequested, CommandLine = commandLine, Elapsed = clock.Elapsed });
            }
            return Record(Result(process.ExitCode, await stdout, await stderr, null) with { CommandLine = commandLine, Elapsed = clock.Elapsed });
        }
    }

    // What was cut is said on stderr (stdout may be JSON a caller parses), and flagged for callers that must refuse a partial answer.
    private static CommandResult Result(int exitCode, CapturedOutput stdout, CapturedOutput stderr, string? note)
    {
        var outCut = stdout.Cut ? stdout.CutNote("stdout") : null;
        var errCut = stderr.Cut ? stderr.CutNote("stderr") : null;
        var err = string.Join('\n', new[] { stderr.Text, outCut, errCut, note }.Where(part => part != null));
        return new CommandResult(exitCode, stdout.Text, err) { StdOutCut = outCut, StdErrCut = errCut };
    }

    // After a kill the pipes close; a grandchild that escaped the tree could keep one open, so do not wait long.
    private static async Task<CapturedOutput> ReadWithin(Task<CapturedOutput> read)
    {
        try { return await read.WaitAsync(TimeSpan.FromSeconds(2)); }
        catch (TimeoutException) { return CapturedOutput.Empty; }
    }

    private CommandResult Record(CommandResult result)
    {
        Log?.Add(result);
        return result;
    }
}
