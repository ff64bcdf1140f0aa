using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// What exists in the AWS account and the cluster at one moment, as `groundcrew inventory` wrote it. Versioned
/// (<see cref="FormatVersion"/>), described by docs/schemas/inventory.schema.json, and holding no secret value:
/// Secrets carry key names at most. What could not be collected is a fact too (<see cref="NotCollected"/>),
/// so a rule can say "not known" instead of guessing "missing".
/// Read and written with System.Text.Json through a source-generated context (<see cref="InventoryJson"/>), so the
/// native (NativeAOT) build reads and writes snapshots exactly as the JIT build does.
/// </summary>
public sealed class Snapshot : IJsonOnDeserialized
{
    public const int FormatVersion = 1;

    /// <summary>The marker and version: a JSON document with this property is a snapshot, never a repository file.</summary>
    [JsonPropertyName("groundcrewInventory"), JsonPropertyOrder(-10)] public int Version { get; set; } = FormatVersion;
    [JsonPropertyOrder(-9)] public DateTimeOffset TakenAt { get; set; }
    [JsonPropertyOrder(-8)] public SnapshotSources Sources { get; set; } = new();
    [JsonPropertyOrder(-7)] public List<NotCollected> NotCollected { get; set; } = [];
    public AwsFacts? Aws { get; set; }
    public KubeFacts? Kube { get; set; }

    /// <summary>True when the part named (a key of <see cref="NotCollected"/>, e.g. "iam.roles") was collected.</summary>
    public bool Knows(string part) =>
        !NotCollected.Any(n => n.Part == part) && (part.StartsWith("kube.", StringComparison.Ordinal) ? Kube != null : Aws != null);

    [JsonIgnore] public string Time => TakenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");

    public string ToJson() => JsonSerializer.Serialize(this, InventoryJson.Default.Snapshot) + "\n";

    public static bool IsSnapshot(JsonNode? node) => node is JsonObject o && o["groundcrewInventory"] != null;

    /// <summary>Reads a snapshot file; a newer or unknown format is an input error with a message, never a crash.</summary>
    public static Snapshot Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SnapshotException($"{path}: not a readable inventory snapshot ({ex.Message})");
        }
        return Parse(text, path);
    }

    /// <summary>Reads a snapshot from its JSON text; <paramref name="path"/> only names it in messages.</summary>
    public static Snapshot Parse(string text, string path)
    {
        int? version;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            version = VersionOf(doc.RootElement);
        }
        catch (JsonException ex) { throw new SnapshotException($"{At(path, text, ex)}: not a readable inventory snapshot: {Reason(ex)}"); }
        if (version is not { } v)
            throw new SnapshotException($"{path}: not an inventory snapshot (no \"groundcrewInventory\" version; write one with `groundcrew inventory --output {path}`)");
        if (v > FormatVersion)
            throw new SnapshotException($"{path}: inventory format {v} is newer than this groundcrew reads ({FormatVersion}); upgrade groundcrew");
        try { return JsonSerializer.Deserialize(text, InventoryJson.Default.Snapshot) ?? throw new JsonException("the document is null"); }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } jsonPath ? $" at {jsonPath}" : "";
            throw new SnapshotException($"{At(path, text, ex)}: inventory snapshot does not match its schema{where}: {Reason(ex)}");
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new SnapshotException($"{path}: inventory snapshot does not match its schema: {ex.Message}");
        }
    }

    /// <summary>
    /// "FILE:LINE:COLUMN" of a JSON error, 1-based as editors count (System.Text.Json counts lines from 0 and the
    /// column in bytes); "FILE" alone when the error has no position.
    /// </summary>
    private static string At(string path, string text, JsonException ex)
    {
        if (ex.LineNumber is not { } line || line < 0) return path;
        var lines = text.Split('\n');
        if (line >= lines.Length) return $"{path}:{line + 1}";
        if (ex.BytePositionInLine is not { } bytes || bytes < 0) return $"{path}:{line + 1}";
        var utf8 = System.Text.Encoding.UTF8.GetBytes(lines[line]);
        var column = System.Text.Encoding.UTF8.GetCharCount(utf8, 0, (int)Math.Min(bytes, utf8.Length)) + 1;
        return $"{path}:{line + 1}:{column}";
    }

    /// <summary>The parser's reason without its own position suffix (" Path: $.x | LineNumber: 0 | BytePositionInLine: 5."), which <see cref="At"/> replaces.</summary>
    private static string Reason(JsonException ex)
    {
        var message = ex.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
            if (message.IndexOf(marker, StringComparison.Ordinal) is var i and >= 0) message = message[..i];
        message = message.Trim().TrimEnd('.');
        return message.Length > 0 ? message : "malformed JSON";
    }

    // The version as a number, or as a string holding one (the earlier reader accepted both); anything else is no version.
    private static int? VersionOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("groundcrewInventory", out var marker)) return null;
        if (marker.ValueKind == JsonValueKind.Number && marker.TryGetInt32(out var n)) return n;
        if (marker.ValueKind == JsonValueKind.String && int.TryParse(marker.GetString(), out var s)) return s;
        return null;
    }

    // A `null` written for a list means "none", as the earlier reader (which ignored nulls) took it, so rules never meet a null list.
    void IJsonOnDeserialized.OnDeserialized()
    {
        Sources ??= new();
        NotCollected ??= [];
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
