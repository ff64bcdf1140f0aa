namespace Groundcrew.Live;

/// <summary>Why a live call gave no answer. Each kind tells the user something different to do.</summary>
public enum LiveErrorKind
{
    /// <summary>The CLI is not on PATH (or not executable).</summary>
    NotInstalled,
    /// <summary>No credentials, an expired token or SSO session, or no such profile/context.</summary>
    NotLoggedIn,
    /// <summary>The caller may not call this one action (others may still work).</summary>
    AccessDenied,
    /// <summary>The API asked us to slow down, and did so again after the retries.</summary>
    Throttled,
    /// <summary>The call did not finish within its time limit and was killed.</summary>
    Timeout,
    /// <summary>The endpoint or API server could not be reached.</summary>
    Unreachable,
    /// <summary>The thing asked for does not exist (an answer, not a failure, for existence checks).</summary>
    NotFound,
    /// <summary>Anything else: the message says what the CLI said.</summary>
    Failed,
}

/// <summary>A classified failure of one call: what kind, the CLI's own last line, and the command that was run.</summary>
public sealed record LiveError(LiveErrorKind Kind, string Message, string CommandLine, string? Action = null)
{
    /// <summary>One line for stderr and for the snapshot's "not collected" list.</summary>
    public string Describe() => Kind switch
    {
        LiveErrorKind.NotInstalled => Message,
        LiveErrorKind.NotLoggedIn => $"not logged in or token expired: {Message}",
        LiveErrorKind.AccessDenied => $"access denied{(Action != null ? $" on {Action}" : "")}: {Message}",
        LiveErrorKind.Throttled => $"throttled (after retries): {Message}",
        LiveErrorKind.Timeout => $"timed out: {Message}",
        LiveErrorKind.Unreachable => $"could not connect: {Message}",
        LiveErrorKind.NotFound => $"not found: {Message}",
        _ => $"failed: {Message}",
    };

    /// <summary>What the user can do about it.</summary>
    public string Fix => Kind switch
    {
        LiveErrorKind.NotInstalled => "install the CLI (aws CLI v1 or v2, kubectl) or put it on PATH",
        LiveErrorKind.NotLoggedIn => "log in again (aws sso login --profile P, or refresh the kubeconfig with aws eks update-kubeconfig) and rerun",
        LiveErrorKind.AccessDenied => "grant the read-only policy in docs/live.md to the collecting role; facts that need this call are reported as not known",
        LiveErrorKind.Throttled => "rerun later or with fewer regions at once",
        LiveErrorKind.Timeout => "check the network path to the endpoint, or raise --call-timeout",
        LiveErrorKind.Unreachable => "check --endpoint-url, the VPN, or the kubeconfig's server address",
        _ => "see the message",
    };
}
