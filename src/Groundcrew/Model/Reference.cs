using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>
/// How a reference ended up. <see cref="Missing"/> means the scanned files contradict it (the Secret is
/// there but lacks the key); <see cref="Unknown"/> means the target is defined somewhere we did not scan.
/// </summary>
public enum Resolution
{
    Resolved,
    Missing,
    Unknown,
}

/// <summary>From a place in one resource to another resource (and optionally a key inside it).</summary>
public sealed record Reference(
    Resource From,
    Node At,
    string TargetKind,
    string? TargetNamespace,
    string TargetName,
    string? Key,
    bool Optional,
    string Via,
    Resolution Resolution,
    Resource? Target,
    string? Detail = null);
