using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Load;

/// <summary>
/// The name an app folder's package manifest gives it, the name its image repository is often given: package.json
/// "name" (without @scope/), pyproject.toml [project] or [tool.poetry] name, setup.cfg [metadata] name, setup.py
/// name=, go.mod's module path (last element, a /vN major-version suffix dropped), a .csproj's AssemblyName or file name.
/// </summary>
public static partial class PackageNames
{
    public sealed record Found(string Name, string Manifest);

    private const long MaxBytes = 2_000_000;

    public static Found? Of(string dir)
    {
        try
        {
            return Json(dir) ?? Toml(dir) ?? SetupCfg(dir) ?? SetupPy(dir) ?? GoMod(dir) ?? Csproj(dir);
        }
        catch (Exception ex) when (ex is LoadException or IOException or UnauthorizedAccessException or RegexMatchTimeoutException) { return null; }
    }

    private static string? Text(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) return null;
        return FileReader.Read(path, MaxBytes).Content;
    }

    private static Found? Json(string dir)
    {
        if (Text(dir, "package.json") is not { } text) return null;
        var loaded = JsonTreeLoader.Load(text, Path.Combine(dir, "package.json"));
        if (loaded.Documents.Count == 0 || loaded.Documents[0].Root is not MapNode m) return null;
        var name = m.GetString("name");
        if (string.IsNullOrWhiteSpace(name)) return null;
        var slash = name.LastIndexOf('/');
        return new Found(slash >= 0 ? name[(slash + 1)..] : name, "package.json");
    }

    // Each pattern runs through SafeRegex: a match that outruns the quick engine's budget (hostile text, or only a busy
    // machine) is redone on the linear engine. With a bare timeout the name was lost instead, so a tie by package name
    // could turn into a tie by folder name, or none, depending on the machine's load.
    [GeneratedRegex(@"^\s*\[(?<section>[^\]]+)\]\s*$|^\s*name\s*=\s*[""'](?<name>[^""']+)[""']", RegexOptions.Multiline, Limits.QuickRegexBudgetMs)]
    private static partial Regex TomlLineQuick();
    private static readonly SafeRegex TomlLine = new(TomlLineQuick());

    private static Found? Toml(string dir)
    {
        if (Text(dir, "pyproject.toml") is not { } text) return null;
        string? section = null;
        foreach (Match m in TomlLine.Matches(text))
        {
            if (m.Groups["section"].Success) { section = m.Groups["section"].Value.Trim(); continue; }
            if (section is "project" or "tool.poetry") return new Found(m.Groups["name"].Value.Trim(), "pyproject.toml");
        }
        return null;
    }

    [GeneratedRegex(@"^\s*\[(?<section>[^\]]+)\]\s*$|^\s*name\s*=\s*(?<name>[\w.-]+)\s*$", RegexOptions.Multiline, Limits.QuickRegexBudgetMs)]
    private static partial Regex CfgLineQuick();
    private static readonly SafeRegex CfgLine = new(CfgLineQuick());

    private static Found? SetupCfg(string dir)
    {
        if (Text(dir, "setup.cfg") is not { } text) return null;
        string? section = null;
        foreach (Match m in CfgLine.Matches(text))
        {
            if (m.Groups["section"].Success) { section = m.Groups["section"].Value.Trim(); continue; }
            if (section == "metadata") return new Found(m.Groups["name"].Value, "setup.cfg");
        }
        return null;
    }

    [GeneratedRegex(@"\bname\s*=\s*[""'](?<name>[\w.-]+)[""']", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex SetupPyNameQuick();
    private static readonly SafeRegex SetupPyName = new(SetupPyNameQuick());

    private static Found? SetupPy(string dir) =>
        Text(dir, "setup.py") is { } text && text.Contains("setup(", StringComparison.Ordinal) && SetupPyName.Match(text) is { Success: true } m
            ? new Found(m.Groups["name"].Value, "setup.py") : null;

    [GeneratedRegex(@"^\s*module\s+""?(?<path>[^\s""]+)", RegexOptions.Multiline, Limits.QuickRegexBudgetMs)]
    private static partial Regex GoModuleQuick();
    private static readonly SafeRegex GoModule = new(GoModuleQuick());

    private static Found? GoMod(string dir)
    {
        if (Text(dir, "go.mod") is not { } text || GoModule.Match(text) is not { Success: true } m) return null;
        var parts = m.Groups["path"].Value.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        // github.com/acme/orders/v2: the /v2 is a major version, not a name (https://go.dev/ref/mod#major-version-suffixes).
        if (parts.Count > 1 && Regex.IsMatch(parts[^1], @"^v\d+$")) parts.RemoveAt(parts.Count - 1);
        return parts.Count == 0 ? null : new Found(parts[^1], "go.mod");
    }

    [GeneratedRegex(@"<AssemblyName>\s*(?<name>[^<\s]+)\s*</AssemblyName>", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex AssemblyNameQuick();
    private static readonly SafeRegex AssemblyName = new(AssemblyNameQuick());

    private static Found? Csproj(string dir)
    {
        var projects = Directory.EnumerateFiles(dir, "*.csproj").ToList();
        if (projects.Count != 1) return null;
        var text = FileReader.Read(projects[0], MaxBytes).Content;
        var name = AssemblyName.Match(text) is { Success: true } m && !m.Groups["name"].Value.Contains('$')
            ? m.Groups["name"].Value : Path.GetFileNameWithoutExtension(projects[0]);
        return new Found(name, Path.GetFileName(projects[0]));
    }
}
