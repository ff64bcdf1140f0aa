using CsCheck;
using FluentAssertions;
using Groundcrew.Core;
using Xunit;

namespace Groundcrew.Tests.Properties;

/// <summary>
/// The redactor finds `KEY=value`, `key: value` and `--flag value` candidates in ASCII text with plain code instead of its
/// regex (speed); the regex stays the definition. Both must give the same match, from every start position, on text made
/// of the characters the pattern cares about: key characters, dots, dashes, quotes, blanks, separators, line breaks.
/// </summary>
public class AssignmentKeyScannerProperties
{
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char["aZ_9.-\"' \t:=\n/x"], 0, 40],
        // Runs near the regex's length caps (64 for a flag's key, 80 for a key).
        Gen.Select(Gen.OneOf(Gen.Const("-"), Gen.Const("--"), Gen.Const(""), Gen.Const(" "), Gen.Const("9")), Gen.Int[60, 84], Gen.String[Gen.Char["a.-_ :=\t\"'"], 0, 8],
            (head, n, tail) => head + new string('k', n) + tail),
        Gen.OneOf(Gen.Const("DB_PASSWORD=hunter22 --token abc \"apiKey\" : 'x' a-b-c: d --x=1 x--y -- z"),
            Gen.Const("Deployment app-0 reads Secret app-0-db as env vars; Fix: `reloader.stakater.com/auto: \"true\"`")));

    [Fact]
    public void The_scanner_finds_what_the_regex_finds_from_every_start() =>
        Text.Sample(text =>
        {
            for (var at = 0; at <= text.Length; at++)
                Redactor.NextAssignmentKey(text, at).Should().Be(Redactor.NextAssignmentKeyByRegex(text, at), $"from {at} in \"{text}\"");
        }, iter: 5000);

    [Fact]
    public void Scrubbing_ascii_and_non_ascii_text_masks_alike() =>
        // The same assignments with a non-ASCII word after them go through the regex; the masked part must not differ.
        Gen.OneOf(Gen.Const("DB_PASSWORD=s3cr3tV4lue"), Gen.Const("--password s3cr3tV4lue"), Gen.Const("\"apiKey\": \"s3cr3tV4lue\""),
                Gen.Const("token = 's3cr3tV4lue'"), Gen.Const("name: app-0-db"), Gen.Const("x-api-key header"))
            .Sample(text => Redactor.ScrubPatterns(text + " \u00e4").Should().Be(Redactor.ScrubPatterns(text) + " \u00e4"));
}
