namespace Groundcrew.Core;

/// <summary>The other end of a broken reference, or any place that helps explain a finding.</summary>
public sealed record RelatedLocation(SourceSpan Span, string Message);

/// <summary>
/// One problem at one place. <see cref="Message"/> says what breaks and why; <see cref="Fix"/> what to edit.
/// Rules build findings; nothing else does, apart from the loaders' own input-error rule.
/// </summary>
public sealed record Finding(
    string RuleId,
    Severity Severity,
    string Message,
    SourceSpan Span,
    string? Fix = null,
    IReadOnlyList<RelatedLocation>? Related = null,
    IReadOnlyDictionary<string, string>? Evidence = null)
{
    /// <summary>A stable key for de-duplicating findings reached twice (two overlays sharing a base).</summary>
    public string DedupKey => $"{RuleId}|{Span.File}|{Span.StartLine}|{Span.StartColumn}|{Message}";
}
