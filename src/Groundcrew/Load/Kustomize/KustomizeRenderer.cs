using System.Diagnostics;

namespace Groundcrew.Load.Kustomize;

/// <summary>Runs `kubectl kustomize DIR`. Availability is probed once per process.</summary>
public static class KustomizeRenderer
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            var r = Run(["version", "--client"], TimeSpan.FromSeconds(20), null);
            return r.ExitCode == 0;
        }
        catch (Exception) { return false; }
    });

    /// <summary>Name of the binary; tests may point it elsewhere with GROUNDCREW_KUBECTL.</summary>
    public static string Kubectl => Environment.GetEnvironmentVariable("GROUNDCREW_KUBECTL") is { Length: > 0 } k ? k : "kubectl";

    public static bool IsAvailable => Available.Value;

    /// <param name="Refused">The overlay was not built at all (a remote base): not a failure of the overlay.</param>
    public sealed record Result(int ExitCode, string Stdout, string Stderr, bool Refused = false);

    /// <summary>
    /// Render offline and without running the scanned repository's code: plugins (exec and container KRM functions) and Helm
    /// off, files only from inside the kustomization root, no network for functions; a remote base is refused before
    /// kubectl runs, and git and HTTP fetches are blocked in its environment in case one hides deeper in the tree.
    /// A render longer than <paramref name="maxOutputBytes"/> is a failure (half a stream of documents is not the overlay).
    /// </summary>
    public static Result Render(string directory, int maxOutputBytes = Groundcrew.Core.Limits.MaxProcessOutputBytes)
    {
        if (RemoteBase(directory) is { } remote)
            return new Result(1, "", $"remote base {remote} refused: Groundcrew renders overlays offline and fetches nothing (vendor the base into the repository)", Refused: true);
        return Run(["kustomize", directory, "--enable-alpha-plugins=false", "--enable-helm=false", "--network=false", "--load-restrictor=LoadRestrictionsRootOnly"],
            Groundcrew.Core.Limits.KustomizeTimeout, directory, Offline, maxOutputBytes);
    }

    private static readonly Dictionary<string, string> Offline = new()
    {
        ["GIT_ALLOW_PROTOCOL"] = "file", ["GIT_TERMINAL_PROMPT"] = "0",
        ["HTTP_PROXY"] = "http://127.0.0.1:9", ["HTTPS_PROXY"] = "http://127.0.0.1:9", ["http_proxy"] = "http://127.0.0.1:9", ["https_proxy"] = "http://127.0.0.1:9",
        ["NO_PROXY"] = "", ["no_proxy"] = "",
    };

    private static readonly System.Text.RegularExpressions.Regex RemoteEntry = new(
        @"^\s*-\s*[""']?(?<url>(?:https?://|git@|ssh://|git::|github\.com/|gitlab\.com/|bitbucket\.org/)\S*|\S*\?ref=\S*)",
        System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.NonBacktracking);

    /// <summary>The first remote resource, base or component the overlay's own kustomization names, if any.</summary>
    private static string? RemoteBase(string directory)
    {
        foreach (var name in new[] { "kustomization.yaml", "kustomization.yml", "Kustomization" })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            try { return RemoteEntry.Match(File.ReadAllText(path)) is { Success: true } m ? m.Groups["url"].Value.TrimEnd('"', '\'') : null; }
            catch (IOException) { return null; }
        }
        return null;
    }

    private static Result Run(IEnumerable<string> args, TimeSpan timeout, string? workingDirectory, IReadOnlyDictionary<string, string>? environment = null,
        int maxOutputBytes = Groundcrew.Core.Limits.MaxProcessOutputBytes)
    {
        var psi = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start kubectl");
        var stdout = Groundcrew.Core.BoundedOutput.ReadAsync(p.StandardOutput.BaseStream, maxOutputBytes);
        var stderr = Groundcrew.Core.BoundedOutput.ReadAsync(p.StandardError.BaseStream, maxOutputBytes);
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            return new Result(-1, "", $"timed out after {timeout.TotalSeconds:0} s");
        }
        var (output, errors) = (stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        if (output.Cut)
            return new Result(p.ExitCode == 0 ? 1 : p.ExitCode, "", $"the rendered overlay is too large: {output.CutNote("kubectl's output")}");
        return new Result(p.ExitCode, output.Text, errors.Text);
    }
}
