using System.Text;
using System.Text.Json;

namespace Groundcrew.Report.Html;

/// <summary>
/// The shell every HTML report shares: one self-contained file (styles, script and data inlined; no network access when
/// opened, no CDN). The data is a JSON block the page's script reads; Utf8JsonWriter's default encoder escapes &lt;, &gt;
/// and &amp;, so no value can close the script element.
/// </summary>
internal static class HtmlPage
{
    public static void Write(TextWriter o, string title, string script, Action<Utf8JsonWriter> data)
    {
        o.Write("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // Nothing may be fetched: the policy forbids every origin, inline styles and scripts are allowed.
        o.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        o.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        o.Write(Escape(title));
        o.Write("</title>\n<style>\n");
        o.Write(Asset("report.css"));
        o.Write("</style>\n</head>\n<body>\n<script type=\"application/json\" id=\"data\">");
        using (var stream = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(stream))
                data(w);
            o.Write(Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
        }
        o.Write("</script>\n<script>\n");
        // Where the rule docs are published, when the build was told (Report/RuleDocs.cs); null links nothing.
        o.Write("const RULE_DOCS = ");
        o.Write(RuleDocs.Built.DocsUrl("rules/") is { } docs ? JsonSerializer.Serialize(docs, HtmlJson.Default.String) : "null");
        o.Write(";\n");
        o.Write(Asset("common.js"));
        o.Write(Asset(script));
        o.Write("</script>\n</body>\n</html>\n");
    }

    /// <summary>A page whose data is a JSON document written elsewhere (the verify and diagnose JSON reports, already redacted).</summary>
    public static void Write(TextWriter o, string title, string script, string json) =>
        // '<' only occurs inside JSON strings, where \u003c means the same: no value can close the script element.
        Write(o, title, script, w => w.WriteRawValue(json.Replace("<", "\\u003c"), skipInputValidation: true));

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string Asset(string name)
    {
        using var stream = typeof(HtmlPage).Assembly.GetManifestResourceStream("Groundcrew.Html." + name)
                           ?? throw new InvalidOperationException($"missing embedded asset {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>AOT-safe string serialisation (no reflection): a source-generated context for the one type written here.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class HtmlJson : System.Text.Json.Serialization.JsonSerializerContext;
