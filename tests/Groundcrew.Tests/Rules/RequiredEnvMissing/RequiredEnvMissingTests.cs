using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.RequiredEnvMissing;

public class RequiredEnvMissingTests
{
    private const string Id = "required-env-missing";

    private const string ExplicitApp = """
        if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required');
        export const url = process.env.DATABASE_URL;
        """;

    private static string Deployment(string image, string containerExtra = "", string ns = "shop", string annotations = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: orders
          namespace: {{ns}}
        spec:
          selector:
            matchLabels: { app: orders }
          template:
            metadata:
              labels: { app: orders }
        {{annotations}}
            spec:
              containers:
                - name: orders
                  image: {{image}}
        {{containerExtra}}
        """;

    [Fact]
    public void Explicit_read_missing_from_the_container_is_an_error_naming_the_code_line_and_the_tie()
    {
        var r = Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/Dockerfile", "FROM node:20\nCOPY . .\n"),
            ("k8s/deploy.yaml", Deployment("registry.example.com/team/orders:2.0")));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.File.Should().Be("k8s/deploy.yaml");
        f.Message.Should().Contain("DATABASE_URL").And.Contain("orders/src/db.ts:1").And.Contain("name of folder orders/");
        f.Related.Should().ContainSingle(x => x.Span.File == "orders/src/db.ts" && x.Span.StartLine == 1);
    }

    [Fact]
    public void Plain_read_without_a_check_is_a_warning_only_where_another_environment_of_the_app_provides_it()
    {
        (string, string)[] app = [("orders/src/db.ts", "export const url = process.env.DATABASE_URL;\n"), ("orders/package.json", "{\"name\":\"orders\"}")];
        Scan.Files([.. app, ("k8s/deploy.yaml", Deployment("orders"))]).Of(Id).Should().BeEmpty("a plain read alone may sit in an optional feature");

        var staging = Deployment("orders", "          env:\n            - name: DATABASE_URL\n              value: mongodb://db:27017/orders", ns: "staging");
        var r = Scan.Files([.. app, ("k8s/prod.yaml", Deployment("orders")), ("k8s/staging.yaml", staging)]);
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Span.File.Should().Be("k8s/prod.yaml");
    }

    [Fact]
    public void Optional_reads_and_build_time_and_conventional_variables_are_not_reported()
    {
        var app = """
            export const port = process.env.PORT ?? 3000;
            export const api = process.env.NEXT_PUBLIC_API_URL;
            export const mode = process.env.NODE_ENV;
            if (process.env.FEATURE_X) { console.log('x'); }
            """;
        var r = Scan.Files(("orders/src/a.ts", app), ("orders/package.json", "{\"name\":\"orders\"}"), ("k8s/deploy.yaml", Deployment("orders")));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Env_env_from_with_known_keys_dockerfile_env_and_platform_variables_all_provide()
    {
        var app = ExplicitApp + """

            if (!process.env.API_KEY) throw new Error('x');
            if (!process.env.CACHE_DIR) throw new Error('x');
            if (!process.env.KUBERNETES_SERVICE_HOST) throw new Error('not in a cluster');
            if (!process.env.APP_MODE) throw new Error('x');
            """;
        var extra = """
                      env:
                        - name: APP_MODE
                          value: api
                      envFrom:
                        - secretRef:
                            name: orders-secrets
                        - configMapRef:
                            name: orders-config
                          prefix: API_
            """;
        var objects = """
            ---
            apiVersion: v1
            kind: Secret
            metadata: { name: orders-secrets, namespace: shop }
            stringData: { DATABASE_URL: "mongodb://db:27017/orders" }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: orders-config, namespace: shop }
            data: { KEY: "x" }
            """;
        var r = Scan.Files(("orders/src/db.ts", app), ("orders/Dockerfile", "FROM node:20 AS build\nRUN true\nFROM node:20\nENV CACHE_DIR=/tmp/cache\n"),
            ("k8s/deploy.yaml", Deployment("orders", extra) + "\n" + objects));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Env_from_a_secret_whose_keys_are_known_but_lack_the_variable_fires()
    {
        var extra = """
                      envFrom:
                        - secretRef:
                            name: orders-secrets
            """;
        var secret = "---\napiVersion: v1\nkind: Secret\nmetadata: { name: orders-secrets, namespace: shop }\nstringData: { OTHER: \"1\" }\n";
        var r = Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/package.json", "{\"name\":\"orders\"}"), ("k8s/deploy.yaml", Deployment("orders", extra) + "\n" + secret));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("DATABASE_URL");
    }

    [Fact]
    public void Env_from_an_object_that_was_not_scanned_or_an_injecting_webhook_silences_the_container()
    {
        var extra = """
                      envFrom:
                        - secretRef:
                            name: made-elsewhere
            """;
        Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/package.json", "{\"name\":\"orders\"}"), ("k8s/deploy.yaml", Deployment("orders", extra)))
            .Of(Id).Should().BeEmpty();
        var injected = "      annotations:\n        vault.hashicorp.com/agent-inject: \"true\"";
        Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/package.json", "{\"name\":\"orders\"}"), ("k8s/deploy.yaml", Deployment("orders", annotations: injected)))
            .Of(Id).Should().BeEmpty();
        var mesh = "      annotations:\n        sidecar.istio.io/inject: \"true\"";
        Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/package.json", "{\"name\":\"orders\"}"), ("k8s/deploy.yaml", Deployment("orders", annotations: mesh)))
            .Of(Id).Should().ContainSingle("a mesh sidecar adds a proxy, not the app's variables");
    }

    [Fact]
    public void Images_that_match_no_app_or_several_apps_tie_to_nothing()
    {
        Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/package.json", "{\"name\":\"orders\"}"), ("k8s/deploy.yaml", Deployment("payments")))
            .Of(Id).Should().BeEmpty("no app is named payments");
        Scan.Files(("a/orders/src/db.ts", ExplicitApp), ("a/orders/package.json", "{}"), ("b/orders/package.json", "{}"), ("k8s/deploy.yaml", Deployment("orders")))
            .Of(Id).Should().BeEmpty("two folders are named orders");
    }

    [Fact]
    public void A_monorepo_root_holding_other_apps_is_not_tied_by_name()
    {
        var r = Scan.Files(("shop/package.json", "{\"name\":\"shop\",\"workspaces\":[\"services/*\"]}"),
            ("shop/services/orders/src/db.ts", ExplicitApp), ("shop/services/orders/package.json", "{\"name\":\"orders-lib\"}"),
            ("k8s/deploy.yaml", Deployment("shop")));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Service_suffix_and_config_mapping_tie_and_say_so()
    {
        var bySuffix = Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/Dockerfile", "FROM node:20\n"), ("k8s/deploy.yaml", Deployment("acme/orders-service:1")));
        bySuffix.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("folder orders/ + `-service`");

        var config = new GroundcrewConfig();
        config.AppFolders["checkout"] = "src/backend";
        var byConfig = Scan.Files(config, ("src/backend/main.ts", ExplicitApp), ("k8s/deploy.yaml", Deployment("checkout:1")));
        byConfig.Of(Id).Should().ContainSingle().Which.Message.Should().Contain(".groundcrew.yaml");
    }

    [Fact]
    public void Compose_build_and_image_tie_an_image_to_its_folder()
    {
        var compose = "services:\n  web:\n    build:\n      context: ./backend\n      dockerfile: Dockerfile\n    image: acme/storefront:dev\n";
        var r = Scan.Files(("backend/src/db.ts", ExplicitApp), ("backend/Dockerfile", "FROM node:20\n"), ("docker-compose.yml", compose),
            ("k8s/deploy.yaml", Deployment("123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront:1.0")));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("docker-compose.yml");
    }

    [Fact]
    public void Ecs_containers_get_environment_and_secrets_and_environment_files_are_unknown()
    {
        static string Td(string extra) => $$"""
            {
              "family": "orders",
              "containerDefinitions": [
                { "name": "orders", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:3", {{extra}} "essential": true }
              ]
            }
            """;
        (string, string)[] App = [("orders/src/db.ts", ExplicitApp), ("orders/package.json", "{\"name\":\"orders\"}")];
        Scan.Files([.. App, ("ecs/orders.json", Td("\"environment\": [{\"name\": \"A\", \"value\": \"1\"}],"))]).Of(Id).Should().ContainSingle();
        Scan.Files([.. App, ("ecs/orders.json", Td("\"secrets\": [{\"name\": \"DATABASE_URL\", \"valueFrom\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf\"}],"))]).Of(Id).Should().BeEmpty();
        Scan.Files([.. App, ("ecs/orders.json", Td("\"environmentFiles\": [{\"value\": \"arn:aws:s3:::bucket/orders.env\", \"type\": \"s3\"}],"))]).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Apps_mapping_is_read_from_the_config_file_and_bad_entries_are_errors()
    {
        using var dir = new TempDir();
        var cfg = dir.Write(".groundcrew.yaml", "apps:\n  checkout: ./src/backend/\n");
        var (config, errors) = GroundcrewConfig.Load(cfg);
        errors.Should().BeEmpty();
        config.AppFolders.Should().Contain("checkout", "src/backend");

        var bad = dir.Write("bad.yaml", "apps:\n  - checkout\n");
        GroundcrewConfig.Load(bad).Errors.Should().ContainSingle(e => e.Contains("apps"));
    }

    [Fact]
    public void Bad_input_does_not_crash()
    {
        var r = Scan.Files(("orders/src/db.ts", ExplicitApp), ("orders/package.json", "{ not json"), ("orders/Dockerfile", "FROM\nBOGUS x\n"),
            ("k8s/deploy.yaml", Deployment("orders", "          env: 3\n          envFrom: [1, {secretRef: 7}]")));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
    }

    [Fact]
    public void A_ci_build_ties_an_image_named_unlike_its_folder_to_the_folder_it_builds()
    {
        // The folder is payments-api, the image is billing: only the workflow's docker build says they are the same app.
        (string, string)[] files =
        [
            ("services/payments-api/src/db.ts", ExplicitApp), ("services/payments-api/Dockerfile", "FROM node:20\nCOPY . .\n"),
            ("k8s/deploy.yaml", Deployment("billing")),
        ];
        Scan.Files(files).Of(Id).Should().BeEmpty("nothing ties image billing to services/payments-api");

        var workflow = """
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: docker build -t 123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing:1.4.2 -f services/payments-api/Dockerfile services/payments-api
            """;
        var finding = Scan.Files([.. files, (".github/workflows/build.yaml", workflow)]).Of(Id).Should().ContainSingle().Subject;
        finding.Message.Should().Contain("DATABASE_URL").And.Contain(".github/workflows/build.yaml");
    }
}
