using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Rules;

/// <summary>
/// One check. A rule is mostly data (title, severity, the failure it prevents, the fix) plus one method
/// that reads the model and yields findings. Its id is derived from the class name so the two can never drift:
/// class <c>ExecutionRoleCannotReadSecret</c> has id <c>execution-role-cannot-read-secret</c>.
/// </summary>
public abstract partial class Rule
{
    private string? _id;

    public string Id => _id ??= ToId(GetType().Name);

    public abstract string Title { get; }
    public abstract Severity DefaultSeverity { get; }
    /// <summary>The failure the rule prevents, in the words the platform uses (the real error text where there is one).</summary>
    public abstract string Prevents { get; }
    /// <summary>The usual fix, in one or two sentences.</summary>
    public abstract string Fix { get; }
    /// <summary>Incident ids from INCIDENTS.md this rule was written for.</summary>
    public virtual IReadOnlyList<string> Incidents => [];
    /// <summary>Rules that need a later capability say so; they are listed but not run.</summary>
    public virtual bool Enabled => true;

    public abstract IEnumerable<Finding> Check(RuleContext context);

    protected Finding At(Node node, string message, string? fix = null, IReadOnlyList<RelatedLocation>? related = null,
        IReadOnlyDictionary<string, string>? evidence = null) =>
        new(Id, DefaultSeverity, message, node.Span, fix ?? Fix, related, evidence);

    protected Finding At(SourceSpan span, string message, string? fix = null, IReadOnlyList<RelatedLocation>? related = null) =>
        new(Id, DefaultSeverity, message, span, fix ?? Fix, related);

    public static string ToId(string className) => PascalBoundary().Replace(className, "-$1").ToLowerInvariant();

    [GeneratedRegex(@"(?<=[a-z0-9])([A-Z])")]
    private static partial Regex PascalBoundary();
}
