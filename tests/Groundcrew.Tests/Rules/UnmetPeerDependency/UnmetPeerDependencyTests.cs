using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.UnmetPeerDependency;

public class UnmetPeerDependencyTests
{
    private const string Id = "unmet-peer-dependency";

    private const string Pkg = """
        {
          "name": "api",
          "dependencies": {
            "@nestjs/common": "^11.0.1",
            "@nestjs/config": "^3.2.0"
          }
        }
        """;

    /// <summary>An npm v3 lockfile: root deps, then extra "packages" entries.</summary>
    private static string NpmLock(string entries, int version = 3) => $$"""
        {
          "name": "api",
          "lockfileVersion": {{version}},
          "packages": {
            "": { "name": "api", "dependencies": { "@nestjs/common": "^11.0.1", "@nestjs/config": "^3.2.0" } },
            {{entries}}
          }
        }
        """;

    private const string Common11 = "\"node_modules/@nestjs/common\": { \"version\": \"11.0.1\" }";
    private const string Config3 = "\"node_modules/@nestjs/config\": { \"version\": \"3.3.0\", \"peerDependencies\": { \"@nestjs/common\": \"^8.0.0 || ^9.0.0 || ^10.0.0\", \"rxjs\": \"^7.1.0\" } }";

    [Fact]
    public void Npm_conflict_is_an_error_at_the_dependent_in_package_json_naming_peer_range_and_version()
    {
        var r = Scan.Files(("api/package.json", Pkg), ("api/package-lock.json", NpmLock(Common11 + ",\n" + Config3)));
        var f = r.Of(Id).Should().ContainSingle("rxjs is not installed at all: npm would add it, nothing to say").Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.File.Should().Be("api/package.json");
        f.Span.StartLine.Should().Be(5);
        f.Message.Should().Contain("`@nestjs/config` 3.3.0").And.Contain("`@nestjs/common`").And.Contain("^8.0.0 || ^9.0.0 || ^10.0.0").And.Contain("11.0.1").And.Contain("ERESOLVE");
        f.Related.Should().Contain(r => r.Span.File == "api/package-lock.json").And.Contain(r => r.Span.File == "api/package.json" && r.Span.StartLine == 4);
    }

    [Fact]
    public void Legacy_peer_deps_makes_it_a_warning()
    {
        var r = Scan.Files(("api/package.json", Pkg), ("api/package-lock.json", NpmLock(Common11 + ",\n" + Config3)), ("api/.npmrc", "legacy-peer-deps=true\n"));
        r.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning);
    }

    [Fact]
    public void Satisfied_missing_and_non_semver_peers_say_nothing()
    {
        const string ok = "\"node_modules/@nestjs/config\": { \"version\": \"4.0.2\", \"peerDependencies\": { \"@nestjs/common\": \"^10.0.0 || ^11.0.0\", \"left-pad\": \"^1.0.0\", \"x\": \"latest\" } }";
        Scan.Files(("api/package.json", Pkg), ("api/package-lock.json", NpmLock(Common11 + ",\n" + ok + ",\n\"node_modules/x\": { \"version\": \"9.9.9\" }"))).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Lockfile_v1_records_no_peers() =>
        Scan.Files(("api/package.json", Pkg), ("api/package-lock.json", """{ "name": "api", "lockfileVersion": 1, "dependencies": { "@nestjs/config": { "version": "3.3.0" } } }""")).Of(Id).Should().BeEmpty();

    [Fact]
    public void Transitive_package_is_reported_at_its_lockfile_entry_and_peers_resolve_to_the_nearest_node_modules()
    {
        const string entries = Common11 + """
            ,
            "node_modules/nest-plugin": { "version": "1.0.0", "dependencies": { "old-adapter": "^2.0.0" } },
            "node_modules/old-adapter": { "version": "2.1.0", "peerDependencies": { "@nestjs/common": "^10.0.0" } },
            "node_modules/nest-plugin/node_modules/fine-adapter": { "version": "1.0.0", "peerDependencies": { "@nestjs/common": "^9.0.0" } },
            "node_modules/nest-plugin/node_modules/@nestjs/common": { "version": "9.4.3" }
            """;
        var r = Scan.Files(("api/package.json", Pkg), ("api/package-lock.json", NpmLock(entries)));
        var f = r.Of(Id).Should().ContainSingle("fine-adapter gets the nested @nestjs/common 9.4.3").Subject;
        f.Span.File.Should().Be("api/package-lock.json");
        f.Message.Should().Contain("old-adapter");
    }

    [Fact]
    public void Hoisted_dependency_of_a_workspace_points_at_the_workspace_package_json()
    {
        var lockText = """
            {
              "name": "mono",
              "lockfileVersion": 3,
              "packages": {
                "": { "name": "mono", "workspaces": ["packages/*"] },
                "packages/api": { "name": "api", "dependencies": { "@nestjs/common": "^11.0.1", "@nestjs/config": "^3.2.0" } },
                "node_modules/api": { "resolved": "packages/api", "link": true },
                "node_modules/@nestjs/common": { "version": "11.0.1" },
                "node_modules/@nestjs/config": { "version": "3.3.0", "peerDependencies": { "@nestjs/common": "^10.0.0" } }
              }
            }
            """;
        var r = Scan.Files(("package.json", """{ "name": "mono", "workspaces": ["packages/*"] }"""), ("package-lock.json", lockText), ("packages/api/package.json", Pkg));
        r.Of(Id).Should().ContainSingle().Which.Span.Should().Match<SourceSpan>(s => s.File == "packages/api/package.json" && s.StartLine == 5);
    }

    [Fact]
    public void Pnpm_v6_keys_and_peer_suffixes_are_read_and_only_warn()
    {
        const string lockText = """
            lockfileVersion: '6.0'
            dependencies:
              '@nestjs/config':
                specifier: ^3.2.0
                version: 3.3.0(@nestjs/common@11.0.1)
            packages:
              /@nestjs/config@3.3.0(@nestjs/common@11.0.1):
                resolution: {integrity: sha512-x}
              /@nestjs/config@3.3.0:
                resolution: {integrity: sha512-x}
                peerDependencies:
                  '@nestjs/common': ^8.0.0 || ^9.0.0 || ^10.0.0
            """;
        var f = Scan.Files(("api/package.json", Pkg), ("api/pnpm-lock.yaml", lockText)).Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Span.Should().Match<SourceSpan>(s => s.File == "api/package.json" && s.StartLine == 5);
        f.Message.Should().Contain("11.0.1").And.Contain("pnpm");
    }

    [Fact]
    public void Yarn_berry_lockfile_peers_are_read()
    {
        const string lockText = """
            __metadata:
              version: 8
              cacheKey: 10

            "@nestjs/common@npm:^11.0.1":
              version: 11.0.1
              resolution: "@nestjs/common@npm:11.0.1"
              languageName: node
              linkType: hard

            "@nestjs/config@npm:^3.2.0":
              version: 3.3.0
              resolution: "@nestjs/config@npm:3.3.0"
              peerDependencies:
                "@nestjs/common": ^8.0.0 || ^9.0.0 || ^10.0.0
              languageName: node
              linkType: hard

            "api@workspace:.":
              version: 0.0.0-use.local
              resolution: "api@workspace:."
              dependencies:
                "@nestjs/common": "npm:^11.0.1"
                "@nestjs/config": "npm:^3.2.0"
              languageName: unknown
              linkType: soft
            """;
        var f = Scan.Files(("api/package.json", Pkg), ("api/yarn.lock", lockText)).Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Span.StartLine.Should().Be(5);
    }

    [Fact]
    public void Yarn_v1_is_checked_only_with_the_installed_package_json_on_disk()
    {
        const string lockText = "# yarn lockfile v1\n\n\"@nestjs/common@^11.0.1\":\n  version \"11.0.1\"\n\n\"@nestjs/config@^3.2.0\":\n  version \"3.3.0\"\n  dependencies:\n    lodash \"4.17.21\"\n";
        Scan.Files(("api/package.json", Pkg), ("api/yarn.lock", lockText)).Of(Id).Should().BeEmpty("yarn v1 records no peers");
        var own = """{ "name": "@nestjs/config", "version": "3.3.0", "peerDependencies": { "@nestjs/common": "^10.0.0" } }""";
        Scan.Files(("api/package.json", Pkg), ("api/yarn.lock", lockText), ("api/node_modules/@nestjs/config/package.json", own))
            .Of(Id).Should().ContainSingle().Which.Message.Should().Contain("11.0.1");
    }
}
