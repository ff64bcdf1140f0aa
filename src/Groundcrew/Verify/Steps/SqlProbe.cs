using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Groundcrew.Verify.Flows;
using MySqlConnector;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Groundcrew.Verify.Steps;

/// <summary>
/// `sql`: one query through the official driver, reached directly or through a port-forward. The rows
/// become a JSON array of objects (column name to value), so `json` and `rowCount` assert them.
/// Failures are told apart: unreachable (retried by a poll, exit 4), credentials refused (exit 4, not
/// retried), and a query the server rejected (exit 1: a missing table is what the check is for).
/// </summary>
public static class SqlProbe
{
    /// <summary>Rows read at most: a check asserts a few rows, and a runaway SELECT must not fill memory.</summary>
    public const int MaxRows = 1000;

    public static Task<(SentRequest, HttpResponseData)> RunAsync(SqlSpec spec, Variables vars, TimeSpan timeout, CancellationToken ct) =>
        spec.Engine == SqlEngine.MongoDb ? MongoProbe.RunAsync(spec, vars, timeout, ct) : RelationalAsync(spec, vars, timeout, ct);

    private static async Task<(SentRequest, HttpResponseData)> RelationalAsync(SqlSpec spec, Variables vars, TimeSpan timeout, CancellationToken ct)
    {
        var connectionString = vars.Render(spec.Connection);
        var query = vars.Render(spec.Query!);
        var (connection, where) = Open(spec.Engine, connectionString, timeout);
        var sent = new SentRequest("sql", $"{where}: {OneLine(query)}");
        var clock = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        await using (connection)
        {
            try
            {
                await connection.OpenAsync(cts.Token);
                await using var command = connection.CreateCommand();
                command.CommandText = query;
                command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
                foreach (var (name, value) in spec.Parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = ToClr(vars.Render(value));
                    command.Parameters.Add(parameter);
                }
                await using var reader = await command.ExecuteReaderAsync(cts.Token);
                var rows = new JsonArray();
                while (rows.Count < MaxRows && await reader.ReadAsync(cts.Token))
                {
                    var row = new JsonObject();
                    for (var i = 0; i < reader.FieldCount; i++)
                        row[reader.GetName(i)] = ToJson(reader.IsDBNull(i) ? null : reader.GetValue(i), reader.GetDataTypeName(i));
                    rows.Add((JsonNode)row); // the JsonNode overload: Add<T> needs reflection (IL2026/IL3050 under AOT)
                }
                return (sent, Answer(rows, clock.Elapsed));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ConnectFailure($"{where}: no answer within {Duration.Format(timeout)}", noAnswerInTime: true);
            }
            catch (DbException ex)
            {
                throw Classify(spec.Engine, where, ex);
            }
            catch (SocketException ex)
            {
                throw new ConnectFailure($"{where}: {ex.Message}", ex);
            }
        }
    }

    public static HttpResponseData Answer(JsonArray rows, TimeSpan duration) =>
        new(0, new Dictionary<string, string>(), FlowJson.Compact(rows), duration)
        {
            RowCount = rows.Count, Outcome = rows.Count == 1 ? "1 row" : $"{rows.Count} rows",
        };

    private static (DbConnection Connection, string Where) Open(SqlEngine engine, string connectionString, TimeSpan timeout)
    {
        try
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
            if (engine == SqlEngine.Postgres)
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = Math.Min(seconds, 1024) };
                // A check must not leave pooled connections behind in a CLI process, nor reuse one a failed query broke.
                builder.Pooling = false;
                return (new NpgsqlConnection(builder.ConnectionString), $"postgres {builder.Host}:{builder.Port}/{builder.Database}");
            }
            var my = new MySqlConnectionStringBuilder(connectionString) { ConnectionTimeout = (uint)seconds, Pooling = false };
            return (new MySqlConnection(my.ConnectionString), $"mysql {my.Server}:{my.Port}/{my.Database}");
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The driver's message names the bad keyword, never the value: safe to show.
            throw new StepFailure($"the {engine.ToString().ToLowerInvariant()} connection string is not valid: {ex.Message}", VerifyExitCode.UsageOrFlowError);
        }
    }

    /// <summary>Unreachable is retried by a poll; refused credentials and rejected queries settle the step.</summary>
    public static Exception Classify(SqlEngine engine, string where, DbException ex)
    {
        switch (ex)
        {
            case PostgresException pg when pg.SqlState is "28P01" or "28000":
                return new StepFailure($"{where}: the server refused the credentials ({pg.SqlState}: {pg.MessageText})", VerifyExitCode.CouldNotConnect);
            case PostgresException pg when pg.SqlState == "3D000":
                return new StepFailure($"{where}: {pg.MessageText}", VerifyExitCode.CouldNotConnect);
            case PostgresException pg when pg.SqlState is "57P03" or "53300":
                return new ConnectFailure($"{where}: {pg.MessageText} ({pg.SqlState})", pg); // starting up, or full: worth retrying
            case PostgresException pg:
                return new StepFailure($"{where}: the query failed: {pg.SqlState}: {pg.MessageText}", VerifyExitCode.AssertionFailed);
            case NpgsqlException npg:
                return new ConnectFailure($"{where}: {Innermost(npg)}", npg);
            case MySqlException my when my.ErrorCode is MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied:
                return new StepFailure($"{where}: the server refused the credentials ({(int)my.ErrorCode}: {my.Message})", VerifyExitCode.CouldNotConnect);
            case MySqlException my when my.ErrorCode == MySqlErrorCode.UnknownDatabase:
                return new StepFailure($"{where}: {my.Message}", VerifyExitCode.CouldNotConnect);
            case MySqlException my when my.ErrorCode == MySqlErrorCode.UnableToConnectToHost || my.Number == 0:
                return new ConnectFailure($"{where}: {Innermost(my)}", my);
            case MySqlException my:
                return new StepFailure($"{where}: the query failed: {(int)my.ErrorCode}: {my.Message}", VerifyExitCode.AssertionFailed);
            default:
                return new ConnectFailure($"{where}: {Innermost(ex)}", ex);
        }
    }

    private static string Innermost(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e != null; e = e.InnerException)
            if (!messages.Contains(e.Message)) messages.Add(e.Message);
        return string.Join(": ", messages);
    }

    private static string OneLine(string query)
    {
        var text = string.Join(' ', query.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return text.Length <= 160 ? text : text[..160] + "...";
    }

    private static object ToClr(JsonNode? value) => value switch
    {
        null => DBNull.Value,
        _ when FlowJson.TryLong(value, out var l) => l,
        _ when FlowJson.TryDouble(value, out var d) => d,
        _ when FlowJson.IsBool(value) => FlowJson.Bool(value),
        JsonValue v => Variables.AsText(v),
        _ => FlowJson.Compact(value), // an object or list goes in as JSON text
    };

    /// <summary>A database value as JSON: numbers stay numbers, times become ISO 8601, json columns become JSON.</summary>
    public static JsonNode? ToJson(object? value, string? dataType = null)
    {
        switch (value)
        {
            case null or DBNull: return null;
            case string s when dataType is { } t && (t.Equals("json", StringComparison.OrdinalIgnoreCase) || t.Equals("jsonb", StringComparison.OrdinalIgnoreCase)):
                try { return HttpResponseData.ParseJson(s); } catch (JsonException) { return JsonValue.Create(s); }
            case string s: return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case sbyte or byte or short or ushort or int or uint or long: return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong u: return JsonValue.Create(u);
            case decimal m: return JsonValue.Create(m);
            case float or double: return JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case DateTime dt: return JsonValue.Create(dt.ToString(dt.Kind == DateTimeKind.Unspecified ? "yyyy-MM-ddTHH:mm:ss.FFFFFFF" : "o", CultureInfo.InvariantCulture));
            case DateTimeOffset dto: return JsonValue.Create(dto.ToString("o", CultureInfo.InvariantCulture));
            case DateOnly d: return JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case TimeOnly t: return JsonValue.Create(t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            case TimeSpan ts: return JsonValue.Create(ts.ToString("c", CultureInfo.InvariantCulture));
            case Guid g: return JsonValue.Create(g.ToString());
            case byte[] bytes: return JsonValue.Create(Convert.ToBase64String(bytes));
            case System.Collections.IEnumerable list: return new JsonArray(list.Cast<object?>().Select(v => ToJson(v)).ToArray());
            default: return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
