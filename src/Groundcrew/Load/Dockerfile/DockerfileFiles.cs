namespace Groundcrew.Load.Dockerfile;

/// <summary>Which files are Dockerfiles: <c>Dockerfile</c>, <c>Dockerfile.prod</c>, <c>prod.Dockerfile</c>, <c>Containerfile</c>, <c>*.dockerfile</c>.</summary>
public static class DockerfileFiles
{
    public static bool IsDockerfile(string path)
    {
        var name = Path.GetFileName(path);
        if (name.Length == 0) return false;
        var lower = name.ToLowerInvariant();
        if (lower is "dockerfile" or "containerfile") return true;
        if (lower.EndsWith(".dockerfile", StringComparison.Ordinal) || lower.EndsWith(".containerfile", StringComparison.Ordinal)) return true;
        if (lower.StartsWith("dockerfile.", StringComparison.Ordinal) || lower.StartsWith("dockerfile-", StringComparison.Ordinal) || lower.StartsWith("dockerfile_", StringComparison.Ordinal))
        {
            // Not Dockerfile.md, Dockerfile.orig backups of other formats, or dockerignore-like siblings.
            var ext = Path.GetExtension(lower);
            return ext is not (".md" or ".txt" or ".json" or ".yaml" or ".yml" or ".sh" or ".py" or ".j2" or ".tpl" or ".template" or ".erb" or ".swp" or ".bak");
        }
        return false;
    }
}
