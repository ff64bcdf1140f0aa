using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// The snapshot's JSON contract, generated at build time (no reflection, so it survives trimming and NativeAOT):
/// camelCase names, nulls left out, dictionary keys (label names) as they are, two-space indentation — the format
/// docs/schemas/inventory.schema.json describes and the earlier Json.NET writer produced.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters = [typeof(JsonNodeConverter), typeof(JsonObjectConverter), typeof(JsonArrayConverter)])]
[JsonSerializable(typeof(Snapshot))]
internal sealed partial class InventoryJson : JsonSerializerContext;

/// <summary>
/// Policy documents and the raw AWS objects (task definitions, VPCs, deployments) stay JSON nodes for the rules that
/// walk them; these converters read them as <see cref="LiveJson"/> reads the CLI's output (dates stay the strings
/// written, numbers as Json.NET read them), so a snapshot read and written back is byte-identical. No reflection.
/// </summary>
public abstract class LiveJsonConverter<T> : JsonConverter<T> where T : JsonNode
{
    public override bool HandleNull => false;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return LiveJson.From(doc.RootElement) as T ?? throw new JsonException($"expected a JSON {Kind}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => value.WriteTo(writer);

    private static string Kind => typeof(T) == typeof(JsonObject) ? "object" : typeof(T) == typeof(JsonArray) ? "array" : "value";
}

public sealed class JsonNodeConverter : LiveJsonConverter<JsonNode>;
public sealed class JsonObjectConverter : LiveJsonConverter<JsonObject>;
public sealed class JsonArrayConverter : LiveJsonConverter<JsonArray>;
