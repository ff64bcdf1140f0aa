using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Groundcrew.Verify.Flows;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Driver;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Steps;

/// <summary>
/// `sql` with engine mongodb: a find (filter, projection, sort, limit) or a command, through the official
/// driver. Documents become JSON in MongoDB's relaxed Extended JSON ({"$oid": ...} for ids).
/// </summary>
public static class MongoProbe
{
    public const int DefaultLimit = 100;

    // MongoDB.Bson makes the serializers of its dynamic arrays and documents with Activator; these keep their
    // constructors in the native build, where the trimmer would otherwise remove them.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(MongoDB.Bson.Serialization.Serializers.EnumerableInterfaceImplementerSerializer<List<object>, object>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(MongoDB.Bson.Serialization.Serializers.DictionaryInterfaceImplementerSerializer<Dictionary<string, object>, string, object>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(MongoDB.Bson.Serialization.Serializers.ExpandoObjectSerializer))]
    public static async Task<(SentRequest, HttpResponseData)> RunAsync(SqlSpec spec, Variables vars, TimeSpan timeout, CancellationToken ct)
    {
        try { return await QueryAsync(spec, vars, timeout, ct); }
        catch (MissingMethodException ex)
        {
            // The MongoDB driver builds its BSON serializers by reflection; in the native (NativeAOT) binary the trimmer
            // has removed some of them. Say so and end the step, instead of letting the process abort.
            throw new StepFailure("the MongoDB step cannot run in the native groundcrew binary (the MongoDB driver needs code " +
                $"the native build trimmed away: {ex.Message}); run it with the .NET tool or `dotnet run` (docs/verify.md)",
                VerifyExitCode.UsageOrFlowError);
        }
    }

    private static async Task<(SentRequest, HttpResponseData)> QueryAsync(SqlSpec spec, Variables vars, TimeSpan timeout, CancellationToken ct)
    {
        var request = Build(spec.Mongo!, vars);
        MongoClientSettings settings;
        try { settings = MongoClientSettings.FromConnectionString(vars.Render(spec.Connection)); }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException or FormatException)
        {
            throw new StepFailure($"the mongodb connection string is not valid: {ex.Message}", VerifyExitCode.UsageOrFlowError);
        }
        // Without this the driver waits 30s for a server whatever the step's timeout says.
        settings.ServerSelectionTimeout = timeout;
        settings.ConnectTimeout = timeout;
        var where = $"mongodb {string.Join(",", settings.Servers.Select(s => $"{s.Host}:{s.Port}"))}/{request.Database}";
        var sent = new SentRequest("sql", $"{where}: {request.Describe()}");
        var clock = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var client = new MongoClient(settings);
        try
        {
            var database = client.GetDatabase(request.Database);
            var documents = new List<BsonDocument>();
            if (request.Command is { } command)
                documents.Add(await database.RunCommandAsync<BsonDocument>(command, cancellationToken: cts.Token));
            else
            {
                var find = database.GetCollection<BsonDocument>(request.Collection).Find(request.Filter).Limit(request.Limit);
                if (request.Projection is { } projection) find = find.Project<BsonDocument>(projection);
                if (request.Sort is { } sort) find = find.Sort(sort);
                documents.AddRange(await find.ToListAsync(cts.Token));
            }
            return (sent, SqlProbe.Answer(new JsonArray(documents.Select(ToJson).ToArray()), clock.Elapsed));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ConnectFailure($"{where}: no answer within {Duration.Format(timeout)}", noAnswerInTime: true);
        }
        catch (Exception ex) when (Classify(where, ex) is { } classified)
        {
            throw classified;
        }
    }

    /// <summary>Unreachable (no server selected in time) is retried by a poll; refused credentials and failed commands are not.</summary>
    public static Exception? Classify(string where, Exception ex) => ex switch
    {
        MongoAuthenticationException auth => new StepFailure($"{where}: the server refused the credentials ({auth.Message})", VerifyExitCode.CouldNotConnect),
        MongoCommandException command => new StepFailure($"{where}: the command failed: {command.CodeName}: {command.ErrorMessage}", VerifyExitCode.AssertionFailed),
        TimeoutException => new ConnectFailure($"{where}: no server answered: {FirstLine(ex.Message)}", ex),
        MongoConnectionException connection => new ConnectFailure($"{where}: {connection.Message}", connection),
        MongoException other => new StepFailure($"{where}: {other.Message}", VerifyExitCode.AssertionFailed),
        _ => null,
    };

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    public sealed record MongoRequest(string Database, string? Collection, BsonDocument Filter, BsonDocument? Projection, BsonDocument? Sort, int Limit, BsonDocument? Command)
    {
        public string Describe() => Command is { } c
            ? $"runCommand {c.ToJson()}"
            : $"{Collection}.find({Filter.ToJson()}){(Sort is { } s ? $".sort({s.ToJson()})" : "")}.limit({Limit})";
    }

    /// <summary>
    /// The driver's request, built from the flow's JSON after variables are filled in. A placeholder that is
    /// a whole value keeps its type, so `{ orderId: "{{orderId}}" }` matches the number 42, not the string "42".
    /// Extended JSON such as `{ "$oid": "..." }` and `{ "$date": "..." }` is understood.
    /// </summary>
    public static MongoRequest Build(MongoQuery query, Variables vars)
    {
        BsonDocument? Doc(JsonObject? json, string what)
        {
            if (json == null) return null;
            var text = FlowJson.Compact(vars.Render(json));
            try { return BsonDocument.Parse(text); }
            catch (Exception ex) when (ex is FormatException or BsonSerializationException or ArgumentException)
            {
                throw new FlowFileException($"sql.{what} is not a valid MongoDB document: {ex.Message}");
            }
        }
        return new MongoRequest(vars.Render(query.Database), query.Collection is { } c ? vars.Render(c) : null,
            Doc(query.Filter, "filter") ?? new BsonDocument(), Doc(query.Projection, "projection"), Doc(query.Sort, "sort"),
            query.Limit ?? DefaultLimit, Doc(query.Command, "command"));
    }

    public static JsonNode? ToJson(BsonDocument document) =>
        HttpResponseData.ParseJson(document.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.RelaxedExtendedJson }));
}
