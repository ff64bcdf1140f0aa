using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PnpmNodeModulesSplit;

public class PnpmNodeModulesSplitTests
{
    private const string Id = "pnpm-node-modules-split";

    [Fact]
    public void Copies_from_the_build_context_that_flatten_a_package_node_modules_fire()
    {
        var r = Scan.Files(("Dockerfile", "FROM node:20\nWORKDIR /app\nCOPY node_modules/.pnpm node_modules/.pnpm\nCOPY apps/web/node_modules /app/node_modules\n"));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(4);
        f.Related.Should().ContainSingle(x => x.Span.StartLine == 3);
    }

    [Fact]
    public void Same_layout_other_stages_root_node_modules_and_wildcards_are_silent()
    {
        Scan.Files(("Dockerfile", "FROM node:20\nWORKDIR /app\nCOPY --from=b /w/node_modules/.pnpm ./node_modules/.pnpm\nCOPY --from=b /w/apps/web/node_modules ./apps/web/node_modules\n"))
            .Of(Id).Should().BeEmpty("the relative layout is kept");
        Scan.Files(("Dockerfile", "FROM node:20\nCOPY --from=a /w/node_modules/.pnpm /app/node_modules/.pnpm\nCOPY --from=b /w/apps/web/node_modules /app/node_modules\n"))
            .Of(Id).Should().BeEmpty("two different trees");
        Scan.Files(("Dockerfile", "FROM node:20\nCOPY --from=b /w/node_modules/.pnpm /app/node_modules/.pnpm\nCOPY --from=b /w/node_modules /app/node_modules\n"))
            .Of(Id).Should().BeEmpty("the root node_modules, not a package's");
        Scan.Files(("Dockerfile", "FROM node:20\nCOPY --from=b /w/node_modules/.pnpm /app/node_modules/.pnpm\nCOPY --from=b /w/apps/*/node_modules /app/node_modules\n"))
            .Of(Id).Should().BeEmpty("wildcards are not judged");
    }

    [Fact]
    public void A_groundcrew_ignore_comment_in_the_dockerfile_silences_the_next_instruction()
    {
        var r = Scan.Files(("Dockerfile", "FROM node:20\nWORKDIR /app\nCOPY node_modules/.pnpm node_modules/.pnpm\n# groundcrew:ignore pnpm-node-modules-split the app bundles its dependencies\nCOPY apps/web/node_modules /app/node_modules\n"));
        r.Of(Id).Should().BeEmpty();
        r.Suppressed.Should().Be(1);
    }

    [Fact]
    public void Bad_input_does_not_crash()
    {
        var r = Scan.Files(("Dockerfile", "COPY a\nFROM\nCOPY --from= node_modules/.pnpm\nWORKDIR\nCOPY [\"node_modules/.pnpm\", \"x/node_modules/.pnpm\"]\nCOPY [\"a/node_modules\", 3]\n"));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
    }
}
