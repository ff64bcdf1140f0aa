using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.NpxUnpinned;

public class NpxUnpinnedTests
{
    private const string Id = "npx-unpinned";

    private const string Pkg = """
        { "name": "api", "dependencies": { "@prisma/client": "6.5.0", "sharp": "0.33.0" }, "devDependencies": { "prisma": "6.5.0", "typescript": "5.4.5" } }
        """;

    private static List<Finding> Run(string dockerfile, string? packageJson = Pkg)
    {
        var files = new List<(string, string)> { ("api/Dockerfile", dockerfile) };
        if (packageJson != null) files.Add(("api/package.json", packageJson));
        return Scan.Files([.. files]).Of(Id).ToList();
    }

    [Fact]
    public void Pinned_dev_dependency_removed_by_a_production_install_is_an_error_pointing_at_the_pin()
    {
        var f = Run("FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nRUN npx prisma generate\n").Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.StartLine.Should().Be(5);
        f.Message.Should().Contain("6.5.0").And.Contain("npm ci --omit=dev");
        f.Related.Should().ContainSingle(r => r.Span.File == "api/package.json" && r.Span.StartLine == 1);
    }

    [Fact]
    public void Node_env_production_makes_npm_ci_skip_dev_dependencies_and_bins_map_to_their_package()
    {
        var f = Run("FROM node:20\nENV NODE_ENV=production\nCOPY . .\nRUN npm ci\nRUN npx tsc -p .\n").Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("typescript");
    }

    [Fact]
    public void Running_npx_before_any_install_is_an_error_when_pinned_and_a_warning_when_not_in_package_json()
    {
        Run("FROM node:20\nCOPY prisma ./prisma\nRUN [\"npx\", \"prisma\", \"generate\"]\n").Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
        Run("FROM node:20\nRUN npx cowsay hello\n").Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning);
        Run("FROM node:20\nRUN npx prisma generate\n", packageJson: null).Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning);
    }

    [Fact]
    public void Silent_when_the_package_is_installed_pinned_local_only_or_a_production_dependency()
    {
        Run("FROM node:20\nCOPY . .\nRUN npm ci && npx prisma generate\n").Should().BeEmpty("a full install puts prisma in node_modules/.bin");
        Run("FROM node:20 AS deps\nRUN npm ci\nFROM deps AS gen\nRUN npx prisma generate\n").Should().BeEmpty("the base stage installed it");
        Run("FROM node:20\nCOPY --from=build /app/node_modules ./node_modules\nRUN npx prisma generate\n").Should().BeEmpty();
        Run("FROM node:20\nRUN npm ci --omit=dev\nRUN npx prisma@6.5.0 generate\n").Should().BeEmpty("pinned");
        Run("FROM node:20\nRUN npm ci --omit=dev\nRUN npx --no-install prisma generate\n").Should().BeEmpty("never fetches");
        Run("FROM node:20\nRUN npm ci --omit=dev\nRUN npx sharp --version\n").Should().BeEmpty("a production dependency stays installed");
        Run("FROM node:20\nRUN npm install -g prisma@6.5.0\nRUN npx prisma generate\n").Should().BeEmpty("installed globally first");
        Run("FROM --platform=$BUILDPLATFORM node:20 AS build\nRUN npm ci\nRUN npx prisma generate\n").Should().BeEmpty();
        Run("FROM node:20\n# RUN npx prisma generate\nRUN echo 'npx prisma generate'\n").Should().BeEmpty("a comment and an echoed string are not commands");
    }

    [Fact]
    public void Bad_input_does_not_crash()
    {
        var r = Scan.Files(("api/Dockerfile", "FROM\nRUN npx\nRUN npx -y\nRUN npm ci --omit\nRUN npx ./local.js\n"), ("api/package.json", "[1,2"));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        r.Of(Id).Should().BeEmpty();
    }
}
