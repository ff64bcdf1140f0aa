using FluentAssertions;
using Groundcrew.Load.Dockerfile;
using Xunit;

namespace Groundcrew.Tests.Dockerfile;

public class DockerfileParserTests
{
    private static DockerfileDocument P(string text, IReadOnlyDictionary<string, string>? args = null) => DockerfileParser.Parse(text, "Dockerfile", args);

    [Fact]
    public void Instructions_have_keyword_arguments_and_lines()
    {
        var doc = P("FROM alpine:3.19\n\n# a comment\nrun echo hi\nCMD [\"sh\", \"-c\", \"echo $HOME\"]\n");
        doc.Instructions.Select(i => (i.Keyword, i.StartLine)).Should().Equal(("FROM", 1), ("RUN", 4), ("CMD", 5));
        doc.Instructions[1].Arguments.Should().Be("echo hi");
        doc.Instructions[1].IsJsonForm.Should().BeFalse();
        doc.Instructions[2].IsJsonForm.Should().BeTrue();
        doc.Instructions[2].JsonArguments.Should().Equal("sh", "-c", "echo $HOME");
        doc.Comments.Should().ContainSingle(c => c.Line == 3);
        doc.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Continuations_join_lines_skip_comment_lines_and_keep_the_span()
    {
        var doc = P("FROM debian\nRUN apt-get update && \\\n    # install curl\n    apt-get install -y curl \\\n\n    && rm -rf /var/lib/apt/lists/*\nUSER app\n");
        var run = doc.Instructions[1];
        run.StartLine.Should().Be(2);
        run.EndLine.Should().Be(6);
        run.Arguments.Should().NotContain("install curl").And.Contain("apt-get install -y curl").And.Contain("rm -rf");
        run.LineOfOffset(run.Arguments.IndexOf("rm -rf", StringComparison.Ordinal)).Should().Be(6);
        doc.Instructions[2].StartLine.Should().Be(7);
    }

    [Fact]
    public void Escape_directive_switches_the_continuation_character()
    {
        var doc = P("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir c:\\ `\n    && echo done\nWORKDIR c:\\app\\\n");
        doc.EscapeChar.Should().Be('`');
        doc.Directives.Should().ContainKey("escape");
        doc.Instructions.Select(i => i.Keyword).Should().Equal("FROM", "RUN", "WORKDIR");
        doc.Instructions[1].EndLine.Should().Be(4);
        doc.Instructions[2].Arguments.Should().Be("c:\\app\\"); // a backslash is not a continuation now
    }

    [Fact]
    public void Directives_only_count_at_the_top()
    {
        var doc = P("# syntax=docker/dockerfile:1.7\n# check=skip=all\n\n# escape=`\nFROM x\n");
        doc.Directives.Keys.Should().BeEquivalentTo("syntax", "check");
        doc.EscapeChar.Should().Be('\\');
    }

    [Fact]
    public void Escaped_backslash_at_line_end_is_not_a_continuation()
    {
        var doc = P("FROM x\nRUN echo a\\\\\nRUN echo b\n");
        doc.Instructions.Should().HaveCount(3);
    }

    [Fact]
    public void Heredocs_are_read_with_their_lines()
    {
        var text = "# syntax=docker/dockerfile:1\nFROM alpine\nRUN <<EOF\necho one\nFROM not-an-instruction\nEOF\nCOPY <<-'CONF' /etc/app.conf\n\tkey=value\n\tCONF\nUSER app\n";
        var doc = P(text);
        doc.Problems.Should().BeEmpty();
        doc.Stages.Should().HaveCount(1);
        var run = doc.Instructions[1];
        run.Heredocs.Should().ContainSingle();
        run.Heredocs[0].Name.Should().Be("EOF");
        run.Heredocs[0].Content.Should().Be("echo one\nFROM not-an-instruction\n");
        run.Heredocs[0].StartLine.Should().Be(4);
        run.EndLine.Should().Be(6);
        var copy = doc.Instructions[2];
        copy.Keyword.Should().Be("COPY");
        copy.Heredocs[0].StripTabs.Should().BeTrue();
        copy.Heredocs[0].Quoted.Should().BeTrue();
        copy.Heredocs[0].Content.Should().Be("key=value\n");
        doc.Instructions[3].Keyword.Should().Be("USER");
        doc.Instructions[3].StartLine.Should().Be(10);
    }

    [Fact]
    public void Two_heredocs_in_one_instruction_are_read_in_order()
    {
        var doc = P("FROM alpine\nCOPY <<A <<B /dst/\nfirst\nA\nsecond\nB\nRUN true\n");
        var copy = doc.Instructions[1];
        copy.Heredocs.Select(h => h.Content).Should().Equal("first\n", "second\n");
        doc.Instructions[2].StartLine.Should().Be(7);
    }

    [Fact]
    public void Unterminated_heredoc_is_a_problem_not_a_crash()
    {
        var doc = P("FROM alpine\nRUN <<EOF\necho never closed\n");
        doc.Problems.Should().ContainSingle(p => p.Line == 2 && p.Message.Contains("never closed"));
        doc.Instructions[1].Heredocs[0].Terminated.Should().BeFalse();
    }

    [Fact]
    public void Shell_redirection_and_quoted_here_strings_are_not_heredocs()
    {
        var doc = P("FROM alpine\nRUN echo \"a<<b\" && cat <<< hi\nUSER app\n");
        doc.Instructions[1].Heredocs.Should().BeEmpty();
        doc.Instructions.Should().HaveCount(3);
    }

    [Fact]
    public void Stages_with_platform_names_and_arg_substitution()
    {
        var doc = P("ARG NODE_VERSION=20\nARG REGISTRY\nFROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS build\nRUN npm ci\nFROM build as test\nFROM ${REGISTRY}/nginx:1.25\nCOPY --from=build --chown=app:app --link /app/dist /usr/share/nginx/html\n");
        doc.GlobalArgs.Select(a => (a.Key, a.Value)).Should().Equal(("NODE_VERSION", "20"), ("REGISTRY", null));
        doc.Stages.Should().HaveCount(3);
        var build = doc.Stages[0];
        build.Name.Should().Be("build");
        build.Platform.Should().Be("$BUILDPLATFORM");
        build.BaseImage.Should().Be("node:${NODE_VERSION}-alpine");
        build.ResolvedBaseImage.Should().Be("node:20-alpine");
        build.Instructions.Should().ContainSingle(i => i.Keyword == "RUN");
        doc.Stages[1].Name.Should().Be("test");
        doc.Stages[1].BaseStage.Should().BeSameAs(build);
        doc.Stages[2].ResolvedBaseImage.Should().BeNull(); // REGISTRY has no value
        var copy = doc.Stages[2].Instructions.Single();
        copy.Flag("from")!.Value.Should().Be("build");
        copy.Flag("chown")!.Value.Should().Be("app:app");
        copy.Flag("link").Should().NotBeNull();
        copy.Flag("link")!.Value.Should().BeNull();
        copy.ArgumentsWithoutFlags.Should().Be("/app/dist /usr/share/nginx/html");
        doc.FindStage("BUILD").Should().BeSameAs(build);
        doc.FindStage("2").Should().BeSameAs(doc.Stages[2]);
    }

    [Fact]
    public void Build_args_override_global_arg_defaults()
    {
        var doc = P("ARG TAG=1\nFROM app:$TAG\n", new Dictionary<string, string> { ["TAG"] = "2" });
        doc.Stages[0].ResolvedBaseImage.Should().Be("app:2");
    }

    [Fact]
    public void Run_mount_flags()
    {
        var doc = P("FROM golang\nRUN --mount=type=cache,target=/root/.cache/go-build --network=none \\\n    go build ./...\n");
        var run = doc.Instructions[1];
        run.Flags.Select(f => f.Name).Should().Equal("mount", "network");
        run.Flag("mount")!.Value.Should().Be("type=cache,target=/root/.cache/go-build");
        run.ArgumentsWithoutFlags.Should().Be("go build ./...");
    }

    [Fact]
    public void Env_in_both_forms_with_lines()
    {
        var doc = P("FROM x\nENV A=1 B=\"two words\" \\\n    C=three\nENV LEGACY some value here\nENV EMPTY=\nARG ONE TWO=2\n");
        var env = doc.Instructions[1].KeyValues;
        env.Select(k => (k.Key, k.Value, k.Line)).Should().Equal(("A", "1", 2), ("B", "two words", 2), ("C", "three", 3));
        doc.Instructions[2].KeyValues.Should().ContainSingle().Which.Should().Be(new DockerKeyValue("LEGACY", "some value here", 4));
        doc.Instructions[3].KeyValues.Single().Value.Should().Be("");
        doc.Instructions[4].KeyValues.Select(k => (k.Key, k.Value)).Should().Equal(("ONE", null), ("TWO", "2"));
        doc.Stages[0].Env().Select(k => k.Key).Should().Equal("A", "B", "C", "LEGACY", "EMPTY");
    }

    [Fact]
    public void Malformed_env_and_from_are_problems()
    {
        P("FROM x\nENV LONELY\n").Problems.Should().ContainSingle(p => p.Line == 2 && p.Message.Contains("LONELY"));
        P("FROM x AS a b\n").Problems.Should().ContainSingle(p => p.Line == 1);
        P("FROM\n").Problems.Should().ContainSingle(p => p.Message.Contains("needs an image"));
    }

    [Fact]
    public void Stage_env_inherits_from_base_stage()
    {
        var doc = P("FROM x AS base\nENV PORT=8080\nFROM base\nENV MODE=prod\n");
        doc.Stages[1].Env().Select(k => k.Key).Should().Equal("PORT", "MODE");
    }

    [Fact]
    public void Exec_form_that_is_not_valid_json_is_shell_form()
    {
        var doc = P("FROM x\nCMD ['single', 'quotes']\nENTRYPOINT [\"a\", 1]\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost\"]\n");
        doc.Instructions[1].IsJsonForm.Should().BeFalse();
        doc.Instructions[2].IsJsonForm.Should().BeFalse();
        doc.Instructions[3].IsJsonForm.Should().BeTrue();
        doc.Instructions[3].Flag("interval")!.Value.Should().Be("5s");
    }

    [Fact]
    public void Onbuild_wraps_an_instruction()
    {
        var doc = P("FROM x\nONBUILD COPY --from=src . /app\n");
        var ob = doc.Instructions[1];
        ob.Keyword.Should().Be("ONBUILD");
        ob.OnBuild!.Keyword.Should().Be("COPY");
        ob.OnBuild.Flag("from")!.Value.Should().Be("src");
    }

    [Fact]
    public void Crlf_line_endings()
    {
        var doc = P("FROM x\r\nRUN a \\\r\n  b\r\nUSER me\r\n");
        doc.Instructions.Select(i => i.StartLine).Should().Equal(1, 2, 4);
        doc.Instructions[1].Arguments.Should().Be("a   b");
    }

    [Fact]
    public void Unknown_instructions_are_reported_and_parsing_continues()
    {
        var doc = P("FROM x\nRUNN echo\nUSER y\n");
        doc.Problems.Should().ContainSingle(p => p.Line == 2 && p.Message.Contains("RUNN"));
        doc.Instructions.Last().Keyword.Should().Be("USER");
    }

    [Fact]
    public void Exposed_ports_user_and_final_stage()
    {
        var doc = P("ARG APP_PORT=9000\nFROM node AS build\nUSER node\nEXPOSE 1234\nFROM build\nARG APP_PORT\nENV METRICS=9100\nEXPOSE 8080 53/udp 8000-8002 ${APP_PORT} $METRICS $UNSET\n");
        var final = doc.FinalStage!;
        final.Index.Should().Be(1);
        final.User.Should().Be("node"); // inherited from the base stage
        final.ExposedPorts(doc.GlobalArgs).Select(p => (p.Port, p.EndPort, p.Protocol, p.Line)).Should().Equal(
            (8080, 8080, "tcp", 8), (53, 53, "udp", 8), (8000, 8002, "tcp", 8), (9000, 9000, "tcp", 8), (9100, 9100, "tcp", 8), (null, null, "tcp", 8));
        doc.Stages[0].ExposedPorts(doc.GlobalArgs).Should().ContainSingle(p => p.Port == 1234);
        P("FROM x\n").FinalStage!.User.Should().BeNull();
        P("").FinalStage.Should().BeNull();
    }

    [Fact]
    public void Substitute_handles_default_and_alternate_forms()
    {
        var vars = new Dictionary<string, string?> { ["A"] = "a", ["E"] = "" };
        DockerfileParser.Substitute("${A:-x}${B:-y}${E:-z}${E-w}${A:+p}${B:+q}$A \\$A", vars).Should().Be("ayzpa $A");
        DockerfileParser.Substitute("${MISSING}", vars).Should().BeNull();
        DockerfileParser.Substitute("${A", vars).Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("\\")]
    [InlineData("FROM")]
    [InlineData("FROM x AS")]
    [InlineData("RUN <<")]
    [InlineData("RUN <<EOF")]
    [InlineData("ENV")]
    [InlineData("ENV =")]
    [InlineData("ENV A=\"unterminated")]
    [InlineData("ONBUILD")]
    [InlineData("ONBUILD ONBUILD RUN x")]
    [InlineData("# escape=x\nFROM a \\")]
    [InlineData("FROM ${")]
    [InlineData("CMD [\"unterminated")]
    [InlineData("COPY --")]
    [InlineData("COPY --=x a b")]
    public void Junk_and_truncated_input_never_throws(string text)
    {
        var act = () => P(text);
        act.Should().NotThrow();
    }

    [Fact]
    public void Binary_and_random_input_never_throws()
    {
        var rng = new Random(42);
        for (var n = 0; n < 200; n++)
        {
            var chars = new char[rng.Next(0, 400)];
            for (var k = 0; k < chars.Length; k++) chars[k] = rng.Next(4) == 0 ? "\\\n<E`\"'=$[{"[rng.Next(11)] : (char)rng.Next(0, 0x3000);
            var act = () => P(new string(chars));
            act.Should().NotThrow();
        }
        // Truncations of a realistic file at every length.
        const string real = "# syntax=docker/dockerfile:1\nARG V=1\nFROM --platform=$BUILDPLATFORM node:${V} AS b\nRUN --mount=type=cache,target=/x <<EOF\nnpm ci\nEOF\nENV A=\"1 2\" \\\n  B=3\nCOPY --from=b /a /b\nCMD [\"node\", \"x.js\"]\n";
        for (var len = 0; len <= real.Length; len++)
        {
            var act = () => P(real[..len]);
            act.Should().NotThrow();
        }
    }

    [Fact]
    public void Huge_continuation_is_linear()
    {
        var sb = new System.Text.StringBuilder("FROM x\nENV ");
        for (var i = 0; i < 30000; i++) sb.Append("K").Append(i).Append("=v \\\n  ");
        sb.Append("LAST=1\n");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var doc = P(sb.ToString());
        sw.Stop();
        var env = doc.Instructions[1].KeyValues;
        env.Should().HaveCount(30001);
        env[29999].Line.Should().Be(30001);
        env[^1].Line.Should().Be(30002);
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Recognizes_dockerfile_names()
    {
        DockerfileFiles.IsDockerfile("a/Dockerfile").Should().BeTrue();
        DockerfileFiles.IsDockerfile("a/Dockerfile.prod").Should().BeTrue();
        DockerfileFiles.IsDockerfile("a/api.Dockerfile").Should().BeTrue();
        DockerfileFiles.IsDockerfile("a/Containerfile").Should().BeTrue();
        DockerfileFiles.IsDockerfile("a/Dockerfile.md").Should().BeFalse();
        DockerfileFiles.IsDockerfile("a/docker-compose.yml").Should().BeFalse();
        DockerfileFiles.IsDockerfile("a/.dockerignore").Should().BeFalse();
    }
}
