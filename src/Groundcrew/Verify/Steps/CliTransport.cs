namespace Groundcrew.Verify.Steps;

/// <summary>
/// How `aws` and `kubectl` are run for aws and kube steps: one bounded call with stdin closed. An interface
/// so the shared live layer can stand behind it (the call is the same; only who runs it changes).
/// </summary>
public interface ICliTransport
{
    Task<ProcessOutcome> RunAsync(string tool, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env, TimeSpan timeout, CancellationToken ct);
}

/// <summary>Runs the CLIs as local processes; <paramref name="environment"/> is added to every call (tests point aws at moto with it).</summary>
public sealed class LocalCliTransport(IReadOnlyDictionary<string, string>? environment = null) : ICliTransport
{
    public Task<ProcessOutcome> RunAsync(string tool, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env, TimeSpan timeout, CancellationToken ct)
    {
        var merged = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) merged[key] = value;
        return LocalProcess.RunAsync(tool, args, merged, null, timeout, ct);
    }
}
