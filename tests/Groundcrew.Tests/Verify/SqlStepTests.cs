using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Steps;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>`sql` steps against a real PostgreSQL started by the fixture (D7: "database connected", proven from outside the app).</summary>
public class PostgresStepTests(PostgresServer db) : IClassFixture<PostgresServer>
{
    private (string, string)[] Vars => [("db", $"Host=127.0.0.1;Port={db.Port};Database=shop;Username={DatabaseServer.User}"), ("dbPassword", DatabaseServer.Password)];

    [Fact]
    public async Task Rows_are_asserted_typed_and_captured_and_parameters_are_bound()
    {
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS budgets (id serial PRIMARY KEY, order_id int NOT NULL, state text, amount numeric(10,2), meta jsonb, created timestamptz DEFAULT now())");
        await db.ExecuteAsync("INSERT INTO budgets (order_id, state, amount, meta) VALUES (42, 'PENDING_APPROVAL', 99.50, '{\"source\": \"queue\"}')");
        var flow = ExecStepTests.Flow("""
            secrets: [dbPassword]
            vars: { orderId: 42 }
            steps:
              - name: budget row exists
                sql:
                  engine: postgres
                  connection: "{{db}};Password={{dbPassword}}"
                  query: SELECT id, state, amount, meta, created FROM budgets WHERE order_id = @orderId
                  params: { orderId: "{{orderId}}" }
                expect:
                  rowCount: 1
                  json: { "$[0].state": PENDING_APPROVAL, "$[0].amount": 99.5, "$[0].meta.source": queue, "$[0].created": { type: string } }
                capture: { budgetId: "$[0].id" }
              - name: the captured id reads back
                sql: { engine: postgresql, connection: "{{db}};Password={{dbPassword}}", query: "SELECT count(*) AS n FROM budgets WHERE id = {{budgetId}}" }
                expect: { json: { "$[0].n": 1 } }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], Vars));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        output.Should().Contain($"sql postgres 127.0.0.1:{db.Port}/shop: SELECT id, state").And.Contain("-> 1 row").And.NotContain(DatabaseServer.Password);
    }

    [Fact]
    public async Task A_poll_waits_for_the_row_an_asynchronous_consumer_writes()
    {
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS events (id text PRIMARY KEY)");
        var id = Guid.NewGuid().ToString("N");
        var flow = ExecStepTests.Flow($$$"""
            secrets: [dbPassword]
            steps:
              - name: consumer wrote the row
                sql: { engine: postgres, connection: "{{db}};Password={{dbPassword}}", query: "SELECT id FROM events WHERE id = '{{{id}}}'" }
                poll: { until: { rowCount: 1 }, timeout: 10s, interval: 100ms }
            """);
        var writer = Task.Run(async () => { await Task.Delay(700); await db.ExecuteAsync($"INSERT INTO events VALUES ('{id}')"); });
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], Vars));
        await writer;
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        result.Flows.Single().Steps.Single().Attempts.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task A_missing_table_fails_the_step_with_the_servers_message_at_once_even_while_polling()
    {
        var flow = ExecStepTests.Flow("""
            secrets: [dbPassword]
            steps:
              - sql: { engine: postgres, connection: "{{db}};Password={{dbPassword}}", query: SELECT * FROM no_such_table }
                poll: { until: { rowCount: 1 }, timeout: 20s }
            """);
        var clock = Stopwatch.StartNew();
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], Vars));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        output.Should().Contain("the query failed: 42P01: relation \"no_such_table\" does not exist");
    }

    [Fact]
    public async Task Refused_credentials_are_exit_4_and_the_password_is_never_printed()
    {
        var flow = ExecStepTests.Flow("""
            secrets: [dbPassword]
            steps:
              - sql: { engine: postgres, connection: "{{db}};Password={{dbPassword}}", query: SELECT 1 }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], ("db", $"Host=127.0.0.1;Port={db.Port};Database=shop;Username=shop"), ("dbPassword", "wrong-pw-7731")));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
        output.Should().Contain("the server refused the credentials (28P01").And.NotContain("wrong-pw-7731");
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_exit_4_naming_host_and_port()
    {
        var port = OrderFlowTests.FreePort();
        var flow = ExecStepTests.Flow($$$"""
            steps:
              - sql: { engine: postgres, connection: "Host=127.0.0.1;Port={{{port}}};Database=shop;Username=x;Password=y", query: SELECT 1, timeout: 3s }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
        output.Should().Contain($"postgres 127.0.0.1:{port}/shop");
    }
}

/// <summary>`sql` steps against a real MariaDB started by the fixture, through MySqlConnector.</summary>
public class MariaDbStepTests(MariaDbServer db) : IClassFixture<MariaDbServer>
{
    [Fact]
    public async Task Rows_are_asserted_and_a_wrong_password_and_a_missing_table_are_told_apart()
    {
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS downstream (item_id VARCHAR(40) PRIMARY KEY, total DECIMAL(10,2), seen DATETIME, flags JSON)");
        await db.ExecuteAsync("INSERT INTO downstream VALUES ('item-7', 12.25, '2026-12-01 10:00:00', '{\"ok\": true}')");
        var flow = ExecStepTests.Flow($$$"""
            secrets: [dbPassword]
            steps:
              - name: downstream row
                sql:
                  engine: mariadb
                  connection: "Server=127.0.0.1;Port={{{db.Port}}};Database=shop;User ID=shop;Password={{dbPassword}}"
                  query: SELECT item_id, total, seen, flags FROM downstream WHERE item_id = @id
                  params: { id: item-7 }
                expect: { rowCount: 1, json: { "$[0].total": 12.25, "$[0].seen": "2026-12-01T10:00:00", "$[0].flags": { contains: ok } } }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], ("dbPassword", DatabaseServer.Password)));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        output.Should().Contain($"sql mysql 127.0.0.1:{db.Port}/shop").And.NotContain(DatabaseServer.Password);

        (result, output) = await Harness.RunAsync(Harness.Request([flow], ("dbPassword", "wrong-pw-4410")));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
        output.Should().Contain("the server refused the credentials (1045").And.NotContain("wrong-pw-4410");

        var missing = ExecStepTests.Flow($$$"""
            steps:
              - sql: { engine: mysql, connection: "Server=127.0.0.1;Port={{{db.Port}}};Database=shop;User ID=shop;Password={{{DatabaseServer.Password}}}", query: SELECT * FROM nope }
            """);
        (result, output) = await Harness.RunAsync(Harness.Request([missing]));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("the query failed: 1146: Table 'shop.nope' doesn't exist");
    }
}

/// <summary>
/// Debian ships no MongoDB server, so the Mongo step is proven in parts: the driver request built from the
/// flow's JSON (variables keep their types, Extended JSON is understood), the conversion of documents to
/// JSON, and a real driver connection to a port where nothing listens, classified as unreachable (exit 4)
/// within the step's timeout. Not proven here: a find or command against a live server.
/// </summary>
public class MongoStepTests
{
    private static SqlSpec Parse(string yaml)
    {
        var flow = FlowLoader.Load(ExecStepTests.Flow(yaml));
        return (SqlSpec)flow.Steps.Single().Probe!;
    }

    [Fact]
    public void The_find_is_built_from_the_flow_with_typed_variables_and_extended_json()
    {
        var spec = Parse("""
            steps:
              - sql:
                  engine: mongodb
                  connection: mongodb://127.0.0.1:1
                  database: "{{dbName}}"
                  collection: budgets
                  filter: { orderId: "{{orderId}}", state: { $in: [OPEN, "{{state}}"] }, _id: { $oid: "65a1f0c2e4b0a1b2c3d4e5f6" } }
                  sort: { createdAt: -1 }
                  limit: 5
            """);
        var vars = new Variables(_ => null);
        vars.Set("dbName", "shop");
        vars.Set("orderId", 42);
        vars.Set("state", "PENDING");
        var request = MongoProbe.Build(spec.Mongo!, vars);
        request.Database.Should().Be("shop");
        request.Filter["orderId"].IsNumeric.Should().BeTrue("a whole-value placeholder keeps the captured number's type");
        request.Filter["orderId"].ToInt64().Should().Be(42);
        request.Filter["state"]["$in"].AsBsonArray.Select(v => v.AsString).Should().Equal("OPEN", "PENDING");
        request.Filter["_id"].IsObjectId.Should().BeTrue();
        request.Limit.Should().Be(5);
        request.Describe().Should().Be("""budgets.find({ "orderId" : 42, "state" : { "$in" : ["OPEN", "PENDING"] }, "_id" : { "$oid" : "65a1f0c2e4b0a1b2c3d4e5f6" } }).sort({ "createdAt" : -1 }).limit(5)""");
    }

    [Fact]
    public void Documents_become_json_the_assertions_can_read()
    {
        var doc = MongoDB.Bson.BsonDocument.Parse("""{ "_id": { "$oid": "65a1f0c2e4b0a1b2c3d4e5f6" }, "n": 3, "tags": ["a"], "at": { "$date": "2026-12-01T10:00:00Z" } }""");
        var json = MongoProbe.ToJson(doc);
        json!["_id"]!["$oid"]!.ToString().Should().Be("65a1f0c2e4b0a1b2c3d4e5f6");
        json["n"]!.GetValue<int>().Should().Be(3);
        json["at"]!["$date"]!.ToString().Should().StartWith("2026-12-01T10:00:00");
    }

    [Theory]
    [InlineData("      query: SELECT 1\n", "engine mongodb takes 'collection'")]
    [InlineData("      collection: x\n      command: { ping: 1 }\n", "give one of 'collection'")]
    [InlineData("      collection: x\n      limit: 0\n", "limit must be a positive")]
    public void The_loader_rejects_a_mongo_step_that_cannot_run(string extra, string message) =>
        FluentActions.Invoking(() => Parse("steps:\n  - sql:\n      engine: mongodb\n      connection: mongodb://x\n      database: d\n" + extra))
            .Should().Throw<FlowFileException>().WithMessage($"*{message}*");

    [Fact]
    public async Task Nothing_listening_is_exit_4_within_the_step_timeout_and_the_password_is_masked()
    {
        var port = OrderFlowTests.FreePort();
        var flow = ExecStepTests.Flow($$$"""
            secrets: [pw]
            steps:
              - name: mongo ping
                sql: { engine: mongodb, connection: "mongodb://app:{{pw}}@127.0.0.1:{{{port}}}/?directConnection=true", database: shop, command: { ping: 1 }, timeout: 2s }
            """);
        var clock = Stopwatch.StartNew();
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], ("pw", "mongo-pw-5521")));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the driver's 30 s server selection must be cut to the step's timeout");
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
        output.Should().Contain($"mongodb 127.0.0.1:{port}/shop").And.NotContain("mongo-pw-5521");
    }
}
