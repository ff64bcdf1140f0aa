using FluentAssertions;
using Groundcrew.Verify.Flows;
using NJsonSchema;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>The schema and the loader agree on the exec, sql, aws and kube step kinds: what one accepts the other does.</summary>
public class StepKindSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(Harness.RepoRoot, "docs", "schemas", "flow.schema.json"))).GetAwaiter().GetResult());

    [Theory]
    [InlineData("steps:\n  - exec: make smoke\n")]
    [InlineData("steps:\n  - exec: [printenv, HOME]\n    expect: { exitCode: 0, stdout: { matches: '^/' } }\n")]
    [InlineData("steps:\n  - exec: { shell: 'curl -sf x', env: { A: b }, timeout: 5s }\n    poll: { until: { exitCode: 0 }, timeout: 30s }\n")]
    [InlineData("steps:\n  - sql: { engine: postgres, connection: 'Host=h', query: 'SELECT 1 AS ok', params: { id: 1 } }\n    expect: { rowCount: 1, json: { '$[0].ok': 1 } }\n")]
    [InlineData("steps:\n  - sql: { engine: mongodb, connection: 'mongodb://h', database: d, collection: c, filter: { a: 1 }, limit: 3 }\n")]
    [InlineData("steps:\n  - aws: { service: sqs, operation: get-queue-attributes, params: { QueueUrl: u }, region: eu-west-1 }\n    expect: { json: { '$.Attributes': { exists: true } } }\n")]
    [InlineData("steps:\n  - aws: { sqs.drained: { queue: billing }, endpoint: 'http://127.0.0.1:1' }\n    poll: { timeout: 30s, interval: 1s }\n")]
    [InlineData("steps:\n  - aws: { logs.contains: { group: /aws/lambda/x, pattern: budget, since: 5m } }\n")]
    [InlineData("steps:\n  - aws: { dynamodb.get: { table: t, key: { pk: 'a' } } }\n    capture: { total: '$.item.total' }\n")]
    [InlineData("steps:\n  - kube: { get: deployment/api, namespace: shop }\n    expect: { json: { '$.status.readyReplicas': 2 } }\n")]
    [InlineData("steps:\n  - kube: { logs: deployment/api, container: api }\n    expect: { stdout: { not: { contains: ERROR } } }\n")]
    [InlineData("steps:\n  - kube: { exec: deployment/api, command: [printenv, DATABASE_URL] }\n    expect: { stdout: { contains: prod } }\n")]
    public void Both_accept(string yaml)
    {
        Schema.Value.Validate(YamlToJson.Parse(yaml)!.ToString()).Should().BeEmpty();
        FluentActions.Invoking(() => FlowLoader.Load(ExecStepTests.Flow(yaml))).Should().NotThrow();
    }

    [Theory]
    [InlineData("steps:\n  - exec: [true]\n    expect: { status: 0 }\n")]
    [InlineData("steps:\n  - exec: { command: [a], shell: b }\n")]
    [InlineData("steps:\n  - sql: { connection: 'Host=h', query: 'SELECT 1' }\n")]
    [InlineData("steps:\n  - sql: { engine: oracle, connection: 'x', query: 'SELECT 1' }\n")]
    [InlineData("steps:\n  - sql: { engine: postgres, connection: 'x', query: 'SELECT 1' }\n    expect: { stdout: x }\n")]
    [InlineData("steps:\n  - aws: { sqs.drained: { queue: q, max: 3 } }\n")]
    [InlineData("steps:\n  - aws: { sqs.drain: { queue: q } }\n")]
    [InlineData("steps:\n  - aws: { service: sqs }\n")]
    [InlineData("steps:\n  - exec: [true]\n    poll: { timeout: 5s }\n")]
    [InlineData("steps:\n  - kube: { exec: pod/x }\n")]
    [InlineData("steps:\n  - kube: { get: pod/x, logs: pod/x }\n")]
    [InlineData("steps:\n  - exec: [true]\n    target: { kube: 'svc/a:80' }\n")]
    public void Both_reject(string yaml)
    {
        Schema.Value.Validate(YamlToJson.Parse(yaml)!.ToString()).Should().NotBeEmpty();
        FluentActions.Invoking(() => FlowLoader.Load(ExecStepTests.Flow(yaml))).Should().Throw<FlowFileException>();
    }
}
