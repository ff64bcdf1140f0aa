using System.Xml.Linq;
using CsCheck;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Model;
using Groundcrew.Report;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Properties;

/// <summary>
/// A value the redactor knows never reaches any output format, whatever text surrounds it: in a finding's message,
/// fix, evidence or related location, and on the source line the console prints as a code frame. JSON, SARIF and
/// JUnit output are decoded before the search, so an escaped copy (\u002B for '+', &amp;amp; for '&amp;') counts too.
/// </summary>
public class RedactorProperties
{
    // Values made only of digits, dots and dashes are never masked by design (they would mask line numbers, versions
    // and JSON numbers; Redactor.IsMaskable), so the generator leaves them out (CsCheck found "172267141" otherwise).
    private static readonly Gen<string> Secret = Gen.String[Gen.Char["AbCdEfGhXyZ0123456789!#%&+=_.-~^"], 8, 24]
        .Where(s => !s.All(c => char.IsDigit(c) || c is '.' or '-'));
    // Text around the secret: quotes, separators, escapes, URI and key=value shapes, non-ASCII, line breaks.
    private static readonly Gen<string> Around = Gen.OneOf<string>(
        Gen.String[Gen.Char["ab :=\"'\\/@<>&{}\n\tä€"], 0, 12],
        Gen.OneOf("password=", "DB_PASSWORD: ", "postgres://user:", "Bearer ", "token=\"", "\"value\": \"", "@db.internal:5432", "\"", "\\n", ""));

    [Fact]
    public void A_known_secret_survives_no_output_format() =>
        Gen.Select(Secret, Around, Around, Gen.Int[0, 3]).Sample((secret, before, after, where) =>
        {
            var text = before + secret + after;
            var root = Directory.CreateTempSubdirectory("groundcrew-redact-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(root, "secret.yaml"), $"kind: Secret\nstringData:\n  password: {text.Replace("\n", " ")}\n");
                var redactor = new Redactor();
                redactor.Add(secret);
                var span = new SourceSpan("secret.yaml", 3, 3, 3, 10);
                var finding = new Finding("test-rule", Severity.Error,
                    where == 0 ? $"message {text}" : "a message",
                    span,
                    Fix: where == 1 ? $"fix {text}" : null,
                    Related: where == 2 ? [new RelatedLocation(span, text)] : null,
                    Evidence: where == 3 ? new Dictionary<string, string> { ["value"] = text } : null);
                var result = new CheckResult
                {
                    Root = root,
                    Findings = [finding],
                    Model = new DeploymentModel(root, [], [], complete: false),
                    Redactor = redactor,
                };
                foreach (var reporter in Reporters.All)
                {
                    var output = new StringWriter();
                    reporter.Write(result, output, new ReportSettings(Severity.Warning, Color: false, "0.0.0-test"));
                    Decoded(reporter.Name, output.ToString()).Should().NotContain(secret, $"the {reporter.Name} output around {Show(text)}");
                }
            }
            finally { Directory.Delete(root, recursive: true); }
        }, iter: 60, print: t => Show(t.Item2 + "[" + t.Item1 + "]" + t.Item3) + $" in part {t.Item4}");

    [Fact]
    public void Scrubbing_keeps_no_copy_of_a_known_value_and_is_idempotent() =>
        Gen.Select(Secret, Around, Around, Gen.Int[1, 3]).Sample((secret, before, after, copies) =>
        {
            var redactor = new Redactor();
            redactor.Add(secret);
            var text = string.Concat(Enumerable.Repeat(before + secret + after, copies));
            var once = redactor.Scrub(text);
            once.Should().NotContain(secret);
            redactor.Scrub(once).Should().Be(once);
        }, iter: 3000);

    private static string Show(string s) => Newtonsoft.Json.JsonConvert.SerializeObject(s);

    /// <summary>The output with its own escaping undone: every string of a JSON document, every text and attribute of XML.</summary>
    private static string Decoded(string format, string output)
    {
        var trimmed = output.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            return output + "\n" + string.Join("\n", JToken.Parse(output).SelectTokens("$..*").OfType<JValue>().Select(v => v.ToString()))
                + "\n" + string.Join("\n", JToken.Parse(output).SelectTokens("$..*").OfType<JProperty>().Select(p => p.Name));
        if (trimmed.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase))
        {
            // The HTML report carries its data as one JSON block: decode that block like a JSON report.
            const string open = "<script type=\"application/json\" id=\"data\">";
            var start = output.IndexOf(open, StringComparison.Ordinal) + open.Length;
            var end = output.IndexOf("</script>", start, StringComparison.Ordinal);
            return output + "\n" + Decoded("json", output[start..end]);
        }
        if (trimmed.StartsWith('<'))
        {
            var xml = XDocument.Parse(output);
            return output + "\n" + string.Join("\n", xml.Descendants().SelectMany(e => e.Attributes().Select(a => a.Value).Append(e.Value)));
        }
        return output;
    }
}
