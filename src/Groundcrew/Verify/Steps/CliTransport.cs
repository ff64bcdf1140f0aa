namespace Groundcrew.Verify.Steps;

/// <summary>
/// How `aws` and `kubectl` are run for aws and kube steps: one bounded call with stdin closed. An interface
/// so the shared live layer can stand behind it (the call is the same; only who runs it changes).
/// </summary>
public interface ICliTransport
{
    Task<ProcessOutcome> RunAsync(string tool, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env, TimeSpan timeout, CancellationToken ct);
}

public sealed class LocalCliTransport : ICliTransport
{
    public Task<ProcessOutcome> RunAsync(string tool, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env, TimeSpan timeout, CancellationToken ct) =>
        LocalProcess.RunAsync(tool, args, env, null, timeout, ct);
}
