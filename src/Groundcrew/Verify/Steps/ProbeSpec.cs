using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Steps;

/// <summary>
/// A step that is not an HTTP request: a local command, a database query, an AWS call or a kubectl call.
/// Every string may hold {{variables}}; they are resolved when the step runs. <see cref="Timeout"/>
/// bounds one attempt (default 30s; a poll's deadline caps it too).
/// </summary>
public abstract record ProbeSpec(string Kind, string? Timeout);

/// <summary>
/// `exec`: a local command. <see cref="Argv"/> runs the program directly; <see cref="Shell"/> runs the
/// text with `/bin/sh -c` (pipes, redirections). Exactly one is set.
/// </summary>
public sealed record ExecSpec(
    IReadOnlyList<string>? Argv,
    string? Shell,
    IReadOnlyDictionary<string, string> Env,
    string? WorkingDirectory,
    string? Timeout) : ProbeSpec("exec", Timeout);

public enum SqlEngine { Postgres, MySql, MongoDb }

/// <summary>
/// `sql`: one query against PostgreSQL or MySQL/MariaDB (<see cref="Query"/> with named
/// <see cref="Parameters"/>), or one MongoDB find or command. The answer is the rows as a JSON array.
/// </summary>
public sealed record SqlSpec(
    SqlEngine Engine,
    string Connection,
    string? Query,
    IReadOnlyDictionary<string, JsonNode?> Parameters,
    MongoQuery? Mongo,
    string? Timeout) : ProbeSpec("sql", Timeout);

/// <summary>A MongoDB read: find(filter) with projection, sort and limit, or runCommand(command).</summary>
public sealed record MongoQuery(
    string Database,
    string? Collection,
    JsonObject? Filter,
    JsonObject? Projection,
    JsonObject? Sort,
    int? Limit,
    JsonObject? Command);

/// <summary>Where an `aws` call goes. Null means the CLI's own default (AWS_PROFILE, AWS_REGION...).</summary>
public sealed record AwsTarget(string? Profile, string? Region, string? Endpoint);

/// <summary>
/// `aws`: one call (`service` + `operation` with `params` as the API's JSON input), or one helper
/// (<see cref="Helper"/>: sqs.drained, sqs.receive, dynamodb.get, logs.contains, ecs.tasks-running) with its arguments.
/// </summary>
public sealed record AwsSpec(
    string? Service,
    string? Operation,
    JsonObject? Params,
    string? Helper,
    JsonObject HelperArgs,
    AwsTarget Target,
    string? Timeout) : ProbeSpec("aws", Timeout);

public enum KubeAction { Get, Logs, Exec }

/// <summary>
/// `kube`: `kubectl get RESOURCE -o json`, `kubectl logs TARGET` since the flow started, or
/// `kubectl exec TARGET -- COMMAND`.
/// </summary>
public sealed record KubeSpec(
    KubeAction Action,
    string Resource,
    string? Selector,
    string? Container,
    IReadOnlyList<string> Command,
    string? Since,
    string? Namespace,
    string? Context,
    string? Kubeconfig,
    string? Timeout) : ProbeSpec("kube", Timeout);
