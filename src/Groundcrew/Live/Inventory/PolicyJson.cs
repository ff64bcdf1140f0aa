using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// IAM returns policy documents URL-encoded; the aws CLI decodes them into objects, but older CLIs, other
/// endpoints and SQS/KMS return a JSON string. All three forms become one JSON object here.
/// </summary>
public static class PolicyJson
{
    public static JsonNode? Decode(JsonNode? value)
    {
        if (value is JsonObject) return value;
        if (!value.IsString()) return null;
        var text = value.Str()!.Trim();
        if (!text.StartsWith('{') && text.Contains('%')) text = WebUtility.UrlDecode(text);
        try { return LiveJson.Parse(text); }
        catch (JsonException) { return null; }
    }
}
