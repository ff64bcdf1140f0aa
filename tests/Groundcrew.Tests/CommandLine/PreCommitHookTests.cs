using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.CommandLine;

/// <summary>
/// The repository's .pre-commit-hooks.yaml, run for real by Debian's pre-commit (`pre-commit try-repo`) on a temporary git
/// repository: a broken manifest fails the hook, the fixed one passes. `groundcrew` on PATH is a wrapper around the built dll.
/// </summary>
public class PreCommitHookTests
{
    private const string Broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n";
    private const string Fixed = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: prod\n";

    private static Dictionary<string, string?> Environment(TempDir sandbox)
    {
        var bin = Path.Combine(sandbox.Path, "bin");
        Directory.CreateDirectory(bin);
        var wrapper = Path.Combine(bin, "groundcrew");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{GroundcrewCli.Binary}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string?>
        {
            ["PATH"] = bin + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
            ["PRE_COMMIT_HOME"] = Path.Combine(sandbox.Path, "cache"),
            ["HOME"] = sandbox.Path,
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@example.com", ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@example.com",
        };
    }

    private static void Git(string git, string dir, IDictionary<string, string?> env, params string[] args)
    {
        var run = ExternalTool.Exec(git, args, dir, env);
        run.ExitCode.Should().Be(0, $"git {string.Join(' ', args)}: {run.Stderr}");
    }

    [Fact]
    public void The_hook_fails_on_a_broken_manifest_and_passes_once_it_is_fixed()
    {
        if (ExternalTool.Find("pre-commit") is not { } preCommit || ExternalTool.Find("git") is not { } git) return;
        using var sandbox = new TempDir();
        var env = Environment(sandbox);

        // The hook repository: this repository's hook definition, committed as pre-commit needs.
        var hooks = Path.Combine(sandbox.Path, "hooks");
        Directory.CreateDirectory(hooks);
        File.Copy(Path.Combine(Repo.Root, ".pre-commit-hooks.yaml"), Path.Combine(hooks, ".pre-commit-hooks.yaml"));
        Git(git, hooks, env, "init", "-q");
        Git(git, hooks, env, "add", ".");
        Git(git, hooks, env, "commit", "-qm", "hooks");

        // The user's repository, with a broken manifest staged.
        var project = Path.Combine(sandbox.Path, "project");
        Directory.CreateDirectory(Path.Combine(project, "k8s"));
        File.WriteAllText(Path.Combine(project, "k8s", "settings.yaml"), Broken);
        Git(git, project, env, "init", "-q");
        Git(git, project, env, "add", ".");

        var failing = ExternalTool.Exec(preCommit, ["try-repo", hooks, "groundcrew-check", "--verbose"], project, env);
        failing.ExitCode.Should().NotBe(0, failing.Stdout + failing.Stderr);
        failing.Stdout.Should().Contain("groundcrew check").And.Contain("Failed").And.Contain("k8s/settings.yaml").And.Contain("input-error");

        File.WriteAllText(Path.Combine(project, "k8s", "settings.yaml"), Fixed);
        Git(git, project, env, "add", ".");
        var passing = ExternalTool.Exec(preCommit, ["try-repo", hooks, "groundcrew-check", "--verbose"], project, env);
        passing.ExitCode.Should().Be(0, passing.Stdout + passing.Stderr);
        passing.Stdout.Should().Contain("Passed");
    }
}
