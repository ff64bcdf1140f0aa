using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PrismaMigrationsNotApplied;

public class PrismaMigrationsNotAppliedTests
{
    private const string Id = "prisma-migrations-not-applied";

    private static string Schema(string provider = "postgresql") => $$"""
        generator client {
          provider = "prisma-client-js"
        }

        datasource db {
          provider = "{{provider}}"
          url      = env("DATABASE_URL")
        }
        """;

    private static string Deployment(string image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.0", string extra = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: orders
        spec:
          selector:
            matchLabels: { app: orders }
          template:
            metadata:
              labels: { app: orders }
            spec:
        {{extra}}
              containers:
                - name: orders
                  image: {{image}}
        """;

    private const string Pkg = """{ "name": "orders", "scripts": { "start:prod": "node dist/main.js", "db:migrate": "prisma migrate deploy" } }""";
    private const string Migration = "CREATE TABLE \"Order\" (\"id\" TEXT NOT NULL);\n";

    private static List<Finding> Run(params (string, string)[] extra) =>
        Scan.Files([("orders/package.json", Pkg), ("orders/prisma/schema.prisma", Schema()), .. extra]).Of(Id).ToList();

    [Fact]
    public void No_migrations_and_nothing_pushing_the_schema_is_an_error_at_the_datasource()
    {
        var f = Run(("k8s/deploy.yaml", Deployment())).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.Should().Match<SourceSpan>(s => s.File == "orders/prisma/schema.prisma" && s.StartLine == 5);
        f.Message.Should().Contain("orders/prisma/migrations").And.Contain("P2021");
        f.Related.Should().ContainSingle(r => r.Span.File == "k8s/deploy.yaml");
    }

    [Fact]
    public void Apps_no_scanned_workload_runs_say_nothing() => Run().Should().BeEmpty();

    [Fact]
    public void Mongodb_schemas_have_no_migrations() =>
        Scan.Files(("orders/package.json", Pkg), ("orders/prisma/schema.prisma", Schema("mongodb")), ("k8s/deploy.yaml", Deployment())).Of(Id).Should().BeEmpty();

    [Fact]
    public void Migrate_deploy_without_migrations_still_creates_nothing()
    {
        var initContainer = "      initContainers:\n        - name: migrate\n          image: orders\n          command: [\"npx\", \"prisma\", \"migrate\", \"deploy\"]";
        var f = Run(("k8s/deploy.yaml", Deployment(extra: initContainer))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("has no migration to apply");
    }

    [Fact]
    public void Db_push_in_an_init_container_creates_the_tables()
    {
        var initContainer = "      initContainers:\n        - name: migrate\n          image: orders\n          args: [\"sh\", \"-c\", \"npx prisma db push --skip-generate\"]";
        Run(("k8s/deploy.yaml", Deployment(extra: initContainer))).Should().BeEmpty();
    }

    [Fact]
    public void A_yaml_block_list_command_counts()
    {
        var initContainer = "      initContainers:\n        - name: migrate\n          image: orders\n          command:\n            - npx\n            - prisma\n            - db\n            - push";
        Run(("k8s/deploy.yaml", Deployment(extra: initContainer))).Should().BeEmpty();
    }

    [Fact]
    public void Migrations_nothing_applies_are_a_warning()
    {
        var f = Run(("k8s/deploy.yaml", Deployment()), ("orders/prisma/migrations/20250101_init/migration.sql", Migration)).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
    }

    [Theory]
    [InlineData("orders/Dockerfile", "FROM node:20\nCOPY . .\nCMD [\"sh\", \"-c\", \"npx prisma migrate deploy && node dist/main.js\"]\n")]
    [InlineData(".github/workflows/deploy.yml", "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run db:migrate\n")]
    [InlineData("orders/scripts/entrypoint.sh", "#!/bin/sh\nset -e\nnpx prisma migrate deploy\nexec node dist/main.js\n")]
    [InlineData("orders/src/main.ts", "import { execSync } from 'child_process';\nexecSync('npx prisma migrate deploy', { stdio: 'inherit' });\n")]
    public void Migrations_applied_anywhere_in_the_deployment_are_fine(string path, string content) =>
        Run(("k8s/deploy.yaml", Deployment()), ("orders/prisma/migrations/20250101_init/migration.sql", Migration), (path, content)).Should().BeEmpty();

    [Fact]
    public void Another_apps_own_migration_script_does_not_count_for_this_one()
    {
        var r = Scan.Files(("orders/package.json", Pkg), ("orders/prisma/schema.prisma", Schema()), ("k8s/deploy.yaml", Deployment()),
            ("billing/package.json", """{ "name": "billing" }"""), ("billing/entrypoint.sh", "npx prisma db push\nnode dist/main.js\n"));
        r.Of(Id).Should().ContainSingle().Which.Span.File.Should().Be("orders/prisma/schema.prisma");
    }

    [Fact]
    public void A_package_script_nobody_runs_does_not_count() =>
        Run(("k8s/deploy.yaml", Deployment()), ("orders/prisma/migrations/20250101_init/migration.sql", Migration), ("README.md", "Run `npx prisma migrate deploy` before starting.\n"))
            .Should().ContainSingle("the db:migrate script is never run and README text is not a deployment step");
}
