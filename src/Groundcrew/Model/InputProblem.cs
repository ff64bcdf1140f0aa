using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>A file or folder that could not be read, or read only in part. The input-error rule reports each one.</summary>
public sealed record InputProblem(SourceSpan Span, string Message, Severity Severity = Severity.Error, string RuleId = "input-error");
