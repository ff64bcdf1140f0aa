using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// What exists in the AWS account and the cluster at one moment, as `groundcrew inventory` wrote it. Versioned
/// (<see cref="FormatVersion"/>), described by docs/schemas/inventory.schema.json, and holding no secret value:
/// Secrets carry key names at most. What could not be collected is a fact too (<see cref="NotCollected"/>),
/// so a rule can say "not known" instead of guessing "missing".
/// </summary>
public sealed class Snapshot
{
    public const int FormatVersion = 1;

    /// <summary>The marker and version: a JSON document with this property is a snapshot, never a repository file.</summary>
    [JsonProperty("groundcrewInventory", Order = -10)] public int Version { get; set; } = FormatVersion;
    [JsonProperty(Order = -9)] public DateTimeOffset TakenAt { get; set; }
    [JsonProperty(Order = -8)] public SnapshotSources Sources { get; set; } = new();
    [JsonProperty(Order = -7)] public List<NotCollected> NotCollected { get; set; } = [];
    public AwsFacts? Aws { get; set; }
    public KubeFacts? Kube { get; set; }

    /// <summary>True when the part named (a key of <see cref="NotCollected"/>, e.g. "iam.roles") was collected.</summary>
    public bool Knows(string part) =>
        !NotCollected.Any(n => n.Part == part) && (part.StartsWith("kube.", StringComparison.Ordinal) ? Kube != null : Aws != null);

    public string Time => TakenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");

    public static readonly JsonSerializerSettings Json = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        NullValueHandling = NullValueHandling.Ignore,
        Formatting = Formatting.Indented,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    };

    public string ToJson() => JsonConvert.SerializeObject(this, Json) + "\n";

    public static bool IsSnapshot(JToken token) => token is JObject o && o["groundcrewInventory"] != null;

    /// <summary>Reads a snapshot file; a newer or unknown format is an input error with a message, never a crash.</summary>
    public static Snapshot Load(string path)
    {
        JObject raw;
        try { raw = JObject.Parse(File.ReadAllText(path)); }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new SnapshotException($"{path}: not a readable inventory snapshot ({ex.Message})");
        }
        if ((int?)raw["groundcrewInventory"] is not { } version)
            throw new SnapshotException($"{path}: not an inventory snapshot (no \"groundcrewInventory\" version; write one with `groundcrew inventory --output {path}`)");
        if (version > FormatVersion)
            throw new SnapshotException($"{path}: inventory format {version} is newer than this groundcrew reads ({FormatVersion}); upgrade groundcrew");
        try { return raw.ToObject<Snapshot>(JsonSerializer.Create(Json))!; }
        catch (JsonException ex) { throw new SnapshotException($"{path}: inventory snapshot does not match its schema: {ex.Message}"); }
    }
}

public sealed class SnapshotException(string message) : Exception(message);

public sealed class SnapshotSources
{
    public AwsSource? Aws { get; set; }
    public KubeSource? Kube { get; set; }
}

public sealed record AwsSource(string? Account, IReadOnlyList<string> Regions, string? Profile, string? EndpointUrl);

public sealed record KubeSource(string? Context, string? Kubeconfig, IReadOnlyList<string>? Namespaces);

/// <summary>One part of the inventory that could not be collected, and why (the classified error of its call).</summary>
public sealed record NotCollected(string Part, string Kind, string Reason, string Command);
