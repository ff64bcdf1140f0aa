using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Diagnose;
using Groundcrew.Diagnose.Input;
using Xunit;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Groundcrew.Tests.Diagnose;

/// <summary>
/// Every incident INCIDENTS.md marks `diagnose` is explained from the error text its report quotes,
/// and from the other shapes the same failure takes.
/// </summary>
public class IncidentTests
{
    private const string SharedIncidents = "/work/shared/INCIDENTS.md";
    private const string SharedSeeds = "/work/shared/seeds";

    public sealed class IncidentCase
    {
        public string Incident { get; set; } = "";
        public bool Quoted { get; set; }
        public string Text { get; set; } = "";
        public string Expect { get; set; } = "";
    }

    private static readonly List<IncidentCase> Cases = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
        .Deserialize<List<IncidentCase>>(DiagnoseFixtures.Read("incidents.yaml"));

    public static TheoryData<int, string, string> All()
    {
        var data = new TheoryData<int, string, string>();
        for (var i = 0; i < Cases.Count; i++) data.Add(i, Cases[i].Incident, Cases[i].Expect);
        return data;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Incident_error_text_is_explained_by_the_expected_signature_first(int index, string incident, string expected)
    {
        var report = DiagnoseRun.Run(new InputDocument($"incident-{incident}", Cases[index].Text));

        report.Matches.Should().NotBeEmpty($"{incident} must be explained");
        report.Matches[0].Signature.Id.Should().Be(expected, $"{incident}: the best explanation of\n{Cases[index].Text}");
    }

    [Fact]
    public void Every_diagnose_incident_has_a_case()
    {
        var incidents = File.Exists(SharedIncidents) ? File.ReadAllText(SharedIncidents) : DiagnoseFixtures.Read("INCIDENTS.md");
        var diagnoseIds = Regex.Matches(incidents, @"^\|\s*(?<id>[A-E]\d+)\s*\|.*\|\s*(?<by>[^|]*)\|\s*$", RegexOptions.Multiline)
            .Where(m => m.Groups["by"].Value.Contains("diagnose"))
            .Select(m => m.Groups["id"].Value)
            .ToList();

        diagnoseIds.Should().HaveCountGreaterThan(15, "the catalog parses");
        diagnoseIds.Except(Cases.Select(c => c.Incident)).Should().BeEmpty("each diagnose incident needs its error text in incidents.yaml");
        diagnoseIds.Where(id => !Cases.Any(c => c.Incident == id && c.Quoted))
            .Should().BeSubsetOf(["A9", "A12", "D6", "E2"], "only incidents whose report quotes no error text may go without a quoted case");
    }

    [Fact]
    public void Quoted_texts_are_really_in_the_seed_reports()
    {
        if (!Directory.Exists(SharedSeeds)) return; // seeds live outside the repository; checked where they exist
        var seeds = string.Join("\n", Directory.GetFiles(SharedSeeds, "*.txt").Select(File.ReadAllText));
        foreach (var c in Cases.Where(c => c.Quoted))
            foreach (var line in c.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                seeds.Should().Contain(line, $"{c.Incident} claims the report quotes it");
    }
}
