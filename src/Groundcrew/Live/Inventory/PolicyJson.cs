using System.Net;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// IAM returns policy documents URL-encoded; the aws CLI decodes them into objects, but older CLIs, other
/// endpoints and SQS/KMS return a JSON string. All three forms become one JSON object here.
/// </summary>
public static class PolicyJson
{
    public static JToken? Decode(JToken? value)
    {
        if (value is JObject) return value;
        if (value is not JValue { Type: JTokenType.String } s) return null;
        var text = ((string)s!).Trim();
        if (!text.StartsWith('{') && text.Contains('%')) text = WebUtility.UrlDecode(text);
        try { return JToken.Parse(text); }
        catch (JsonException) { return null; }
    }
}
