using System.Text.RegularExpressions;

namespace Groundcrew.Live;

/// <summary>
/// Turns a failed `aws` or `kubectl` call into a <see cref="LiveError"/> from its exit code and stderr.
/// The patterns are the messages the two CLIs print (botocore's error codes and kubectl's client errors);
/// they are matched on the CLI's own text because neither CLI has a machine-readable error channel.
/// </summary>
public static partial class LiveErrorClassifier
{
    private static readonly string[] NotLoggedIn =
    [
        "ExpiredToken", "Token has expired", "token has expired", "The SSO session associated with this profile has expired",
        "Error loading SSO Token", "Unable to locate credentials", "InvalidClientTokenId", "UnrecognizedClientException",
        "The security token included in the request is invalid", "The config profile (", "NoCredentialProviders",
        "SignatureDoesNotMatch", "AuthFailure",
        // kubectl
        "You must be logged in to the server", "error: You must be logged in", "the server has asked for the client to provide credentials",
        "getting credentials: exec", "Unauthorized", "current-context is not set", "context was not found",
        "no configuration has been provided",
    ];

    private static readonly string[] AccessDenied =
    [
        "AccessDenied", "UnauthorizedOperation", "is not authorized to perform", "UnauthorizedAccess", "AuthorizationError",
        "Forbidden", "forbidden:",
    ];

    private static readonly string[] Throttled =
    [
        "Throttling", "ThrottlingException", "TooManyRequestsException", "Rate exceeded", "RequestLimitExceeded", "SlowDown",
        "RequestThrottled", "TooManyRequests", "429 Too Many Requests", "client rate limiter",
    ];

    private static readonly string[] Unreachable =
    [
        "Could not connect to the endpoint URL", "Connection refused", "connection refused", "Unable to connect to the server",
        "no such host", "i/o timeout", "Connect timeout on endpoint URL", "Name or service not known", "was refused",
    ];

    private static readonly string[] NotFound =
    [
        "NoSuchEntity", "ResourceNotFoundException", "NotFoundException", "RepositoryNotFoundException", "ImageNotFoundException",
        "ClusterNotFoundException", "ParameterNotFound", "NonExistentQueue", "QueueDoesNotExist", "NotFound", "(NotFound)",
        "not found", "does not exist",
    ];

    public static LiveError? Classify(CommandResult result)
    {
        if (result.Ok) return null;
        var line = LastLine(result.StdErr);
        if (result.TimedOut) return new LiveError(LiveErrorKind.Timeout, line, result.CommandLine);
        if (result.NotStartedAtAll)
            return new LiveError(LiveErrorKind.NotInstalled, line, result.CommandLine);
        var err = result.StdErr;
        // Order matters: "AccessDenied ... ExpiredToken" does not happen, but "Unauthorized" is in both kubectl's
        // 401 and some AWS codes; a 403 with "forbidden" is a denial of one action, never a login problem.
        if (Throttled.Any(err.Contains)) return new LiveError(LiveErrorKind.Throttled, line, result.CommandLine);
        if (AccessDenied.Any(err.Contains)) return new LiveError(LiveErrorKind.AccessDenied, line, result.CommandLine, DeniedAction(err, result.CommandLine));
        if (NotLoggedIn.Any(err.Contains)) return new LiveError(LiveErrorKind.NotLoggedIn, line, result.CommandLine);
        if (Unreachable.Any(err.Contains)) return new LiveError(LiveErrorKind.Unreachable, line, result.CommandLine);
        if (NotFound.Any(err.Contains)) return new LiveError(LiveErrorKind.NotFound, line, result.CommandLine);
        return new LiveError(LiveErrorKind.Failed, line, result.CommandLine);
    }

    /// <summary>The IAM action of an AWS denial ("...is not authorized to perform: iam:ListRoles on..."), else the call's own.</summary>
    private static string? DeniedAction(string stderr, string commandLine)
    {
        var m = PerformRegex().Match(stderr);
        if (m.Success) return m.Groups[1].Value;
        var kube = KubeForbiddenRegex().Match(stderr);
        if (kube.Success) return $"{kube.Groups[1].Value} {kube.Groups[2].Value}";
        return AwsAction.FromCommandLine(commandLine);
    }

    /// <summary>kubectl and aws put their conclusion last, after klog noise; that line is the one to show.</summary>
    public static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    [GeneratedRegex(@"not authorized to perform:? ([A-Za-z0-9-]+:[A-Za-z0-9]+)")]
    private static partial Regex PerformRegex();

    [GeneratedRegex(@"cannot (\w+) resource ""([^""]+)""")]
    private static partial Regex KubeForbiddenRegex();
}
