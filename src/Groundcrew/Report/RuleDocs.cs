using System.Reflection;

namespace Groundcrew.Report;

/// <summary>
/// Where the docs (the repository's docs/ folder) can be linked. The base URL is fixed when Groundcrew is built
/// (`-p:GroundcrewDocsBaseUrl=https://host/path/docs/`, stored as assembly metadata), because only the builder knows
/// where the pages matching this build are published. Without one, no address is made up: reports point at the page shipped
/// inside the binary (`groundcrew rules ID`), and SARIF carries the page itself as help.markdown. See docs/ci.md.
/// </summary>
public sealed class RuleDocs
{
    public const string MetadataKey = "GroundcrewDocsBaseUrl";
    public const string ProjectMetadataKey = "GroundcrewProjectUrl";

    /// <summary>The docs as this build was configured.</summary>
    public static RuleDocs Built { get; } = new(Metadata(MetadataKey), Metadata(ProjectMetadataKey));

    /// <summary>An absolute http(s) base ending in '/', or null.</summary>
    public string? BaseUrl { get; }
    /// <summary>The project's home page (SARIF informationUri), or null.</summary>
    public string? ProjectUrl { get; }

    public RuleDocs(string? baseUrl, string? projectUrl = null)
    {
        BaseUrl = Absolute(baseUrl) is { } b ? (b.EndsWith('/') ? b : b + "/") : null;
        ProjectUrl = Absolute(projectUrl);
    }

    /// <summary>The rule page's address (docs/rules/ID.md), or null when this build has no docs base URL.</summary>
    public string? Url(string ruleId) => DocsUrl("rules/" + Uri.EscapeDataString(ruleId) + ".md");

    /// <summary>The address of a page under docs/ ("diagnose.md", "signatures/README.md#id"), or null without a base URL.</summary>
    public string? DocsUrl(string relative) => BaseUrl == null ? null : BaseUrl + relative;

    /// <summary>The rule's page as shipped in the binary (docs/rules/ID.md), or null for an id without one.</summary>
    public static string? Page(string ruleId) => Rules.RuleRegistry.DocsPage(ruleId);

    // A relative or non-web value would give SARIF viewers an address that leads nowhere: it is ignored.
    private static string? Absolute(string? url) =>
        !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u) && u.Scheme is "https" or "http" ? url.Trim() : null;

    private static string? Metadata(string key) =>
        typeof(RuleDocs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
