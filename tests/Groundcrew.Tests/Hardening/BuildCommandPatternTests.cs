using System.Reflection;
using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load.Builds;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>
/// The docker/shell patterns that find image builds run on the linear engine. Their backtracking forms timed out on a line
/// of many flags (2^n ways to split `--a --a --a` into flags and values), and a file with such a line lost every build in
/// it. Here a hostile line sits above a real build: the build is found only if no pattern gave up on the hostile line.
/// </summary>
public class BuildCommandPatternTests
{
    private static IReadOnlyList<BuildCommand> Parse(string path, string text) => BuildCommands.Parse([(path, text)]);

    private static string Repeat(string piece, int times) => string.Concat(Enumerable.Repeat(piece, times));

    public static TheoryData<string> HostileLines() => new()
    {
        "docker" + Repeat(" --a", 30_000),                          // build verb: flags or flag values, every split tried
        "docker compose" + Repeat(" -a", 30_000),                   // compose push: the same with short flags
        "docker-compose" + Repeat(" --f x", 20_000),
        "docker push " + Repeat("${{", 30_000),                     // an image reference that never closes
        "docker tag " + Repeat("${{", 30_000) + " " + Repeat("${{", 30_000),
        "for x in " + Repeat("a ", 40_000),                         // a loop list without do or ;
        "IMAGE=" + Repeat("$(", 30_000),                            // an assignment whose value runs a command, or not
        Repeat("$(foreach s,", 20_000),
        Repeat("docker ", 20_000),
    };

    [Theory]
    [MemberData(nameof(HostileLines))]
    public void A_hostile_line_does_not_cost_the_file_its_builds(string hostile)
    {
        var builds = Parse("build.sh", hostile + "\ndocker build --platform linux/amd64 -t api:1 .\ndocker push api:1\n");

        var build = builds.Should().ContainSingle(b => b.Span.StartLine == 2, "the hostile line must not make the reader give up on the file").Subject;
        build.Platform.Should().Be("linux/amd64");
        build.Tags.Should().Equal("api:1");
        build.Pushes.Should().BeTrue();
    }

    [Fact]
    public void Every_pattern_that_reads_build_files_is_linear()
    {
        var type = typeof(BuildCommands);
        // Backtracking-only generated patterns would be the ones that can time out on a hostile line.
        var generated = type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(m => m.GetCustomAttribute<GeneratedRegexAttribute>() != null)
            .Select(m => m.Name);
        var safe = type.GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(SafeRegex))
            .Select(f => (f.Name, Pattern: (SafeRegex)f.GetValue(null)!));
        var shell = type.GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(ShellPattern))
            .Select(f => (f.Name, ((ShellPattern)f.GetValue(null)!).Pattern));
        var all = safe.Concat(shell).ToList();

        all.Select(p => p.Name).Should().Contain(["BuildVerb", "PushCommand", "TagCommand", "ComposePush", "Assignment", "ForLoop", "RunsCommand"]);
        all.Where(p => !p.Pattern.IsLinear).Select(p => p.Name).Should().BeEmpty();
        generated.Should().BeEmpty("every BuildCommands pattern runs through SafeRegex, which moves to the linear engine on hostile input");
    }

    [Fact]
    public void Commands_next_to_each_other_are_each_found_and_word_boundaries_hold()
    {
        var builds = Parse("build.sh", "docker build -t a:1 .;docker build -t b:1 . && podman build -t c:1 .|docker buildx build -t d:1 .\n" +
                                       "mydocker build -t no:1 .\ndocker build-arg x\ndocker image build -t e:1 .\n");

        builds.Select(b => (b.Tool, b.Tags.Single())).Should().Equal(
            ("docker build", "a:1"), ("docker build", "b:1"), ("podman build", "c:1"), ("docker buildx build", "d:1"), ("docker image build", "e:1"));
    }

    [Theory]
    [InlineData("$(git rev-parse HEAD)", true)]
    [InlineData("`date`", true)]
    [InlineData("$(", true)]
    [InlineData("$(TAG)", false)]
    [InlineData("v1-$(TAG)-$(ARCH)", false)]
    [InlineData("$(TAG", true)]
    public void A_value_that_runs_a_command_is_not_substituted(string value, bool runs)
    {
        var expanded = BuildCommands.Expand("$IMAGE", new Dictionary<string, string> { ["IMAGE"] = value });

        expanded.Should().Be(runs ? "$IMAGE" : value);
    }
}
