using System.Text.Json;
using System.Text.Json.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// The snapshot's JSON contract, generated at build time (no reflection, so it survives trimming and NativeAOT):
/// camelCase names, nulls left out, dictionary keys (label names) as they are, two-space indentation — the format
/// docs/schemas/inventory.schema.json describes and the earlier Newtonsoft writer produced.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters = [typeof(JTokenConverter), typeof(JObjectConverter), typeof(JArrayConverter)])]
[JsonSerializable(typeof(Snapshot))]
internal sealed partial class InventoryJson : JsonSerializerContext;

/// <summary>
/// Policy documents and the raw AWS objects (task definitions, VPCs, deployments) stay <see cref="JToken"/>s for
/// the rules that walk them; these converters carry them through as JSON text, which needs no reflection either way.
/// </summary>
public abstract class JsonTokenConverter<T> : System.Text.Json.Serialization.JsonConverter<T> where T : JToken
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        // Dates stay strings: a policy's "2012-10-17" or a task definition's registeredAt is compared as written.
        using var text = new JsonTextReader(new StringReader(doc.RootElement.GetRawText())) { DateParseHandling = DateParseHandling.None };
        return JToken.ReadFrom(text) as T ?? throw new System.Text.Json.JsonException($"expected a JSON {typeof(T).Name[1..].ToLowerInvariant()}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.Parse(value.ToString(Formatting.None));
        doc.RootElement.WriteTo(writer);
    }
}

public sealed class JTokenConverter : JsonTokenConverter<JToken>;
public sealed class JObjectConverter : JsonTokenConverter<JObject>;
public sealed class JArrayConverter : JsonTokenConverter<JArray>;
