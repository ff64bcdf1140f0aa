using System.Diagnostics;

namespace Groundcrew.Check;

/// <summary>Reads a file as it was at a git revision (`git show REV:path`), for --base comparisons.</summary>
public static class Git
{
    public sealed record ShowResult(string? Text, string? Error);

    public static ShowResult Show(string workingDirectory, string revision, string relativePath)
    {
        try
        {
            var top = RunGit(workingDirectory, "rev-parse", "--show-toplevel");
            if (top.Code != 0) return new ShowResult(null, "not inside a git repository");
            var full = Path.GetFullPath(Path.Combine(workingDirectory, relativePath));
            var repoPath = Path.GetRelativePath(top.Out.Trim(), full).Replace('\\', '/');
            var show = RunGit(workingDirectory, "show", $"{revision}:{repoPath}");
            if (show.Code == OutputTooLarge) return new ShowResult(null, $"at revision {revision}: {show.Err}");
            return show.Code == 0 ? new ShowResult(show.Out, null) : new ShowResult(null, $"not in revision {revision} ({show.Err.Trim()})");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ShowResult(null, "git is not installed");
        }
    }

    private const int OutputTooLarge = -2;

    private static (int Code, string Out, string Err) RunGit(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        // Bounded like every child's output: a `git show` of a huge blob cannot fill memory.
        var o = Groundcrew.Core.BoundedOutput.ReadAsync(p.StandardOutput.BaseStream, Groundcrew.Core.Limits.MaxProcessOutputBytes);
        var e = Groundcrew.Core.BoundedOutput.ReadAsync(p.StandardError.BaseStream, Groundcrew.Core.Limits.MaxProcessOutputBytes);
        if (!p.WaitForExit(Groundcrew.Core.Limits.GitTimeout))
        {
            // A hung git (a credential prompt, a huge repository) is killed with its children, and said as such.
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            return (-1, "", $"git timed out after {Groundcrew.Core.Limits.GitTimeout.TotalSeconds:0} s");
        }
        var (output, errors) = (o.GetAwaiter().GetResult(), e.GetAwaiter().GetResult());
        if (output.Cut) return (OutputTooLarge, "", output.CutNote("git's output"));
        return (p.ExitCode, output.Text, errors.Text);
    }
}
