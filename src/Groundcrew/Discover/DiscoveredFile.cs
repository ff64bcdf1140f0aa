namespace Groundcrew.Discover;

/// <summary>What a file looks like from its name, before it is read. Content decides the rest.</summary>
public enum FileFormat
{
    Yaml,
    Json,
    Terraform,
    Dockerfile,
    Other,
}

/// <param name="FullPath">Absolute path on disk (or "-" for stdin).</param>
/// <param name="DisplayPath">Path relative to the scanned root, with '/' separators: what reports show.</param>
public sealed record DiscoveredFile(string FullPath, string DisplayPath, FileFormat Format, long Length);

/// <summary>A problem met while walking (symlink loop, unreadable folder): reported under the input-error rule.</summary>
public sealed record DiscoveryProblem(string DisplayPath, string Message, string RuleId = "input-error");
