using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.RequiredEnvMissing;

/// <summary>
/// The same bug (the app needs QUEUE_URL, its container does not get it) in the repository layouts people use to tie
/// code to images: each shape fails with the tie named in the finding, and its twin (the variable given) passes.
/// </summary>
public class AppTieShapeTests
{
    private const string Id = "required-env-missing";

    private const string NodeApp = "if (!process.env.QUEUE_URL) throw new Error('QUEUE_URL is required');\nexport const q = process.env.QUEUE_URL;\n";
    private const string PyApp = "import os\nfrom fastapi import FastAPI\nQUEUE_URL = os.environ[\"QUEUE_URL\"]\napp = FastAPI()\n";

    private static string Deployment(string name, string image, bool provided, string command = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: {{name}}, namespace: shop }
        spec:
          selector: { matchLabels: { app: {{name}} } }
          template:
            metadata: { labels: { app: {{name}} } }
            spec:
              containers:
                - name: {{name}}
                  image: {{image}}
        {{command}}
                  env:
                    - name: OTHER
                      value: "1"
        {{(provided ? "            - name: QUEUE_URL\n              value: https://sqs.eu-west-1.amazonaws.com/111122223333/q" : "")}}
        """;

    private static (Finding? Finding, int Count) Run(bool provided, string image, string command, params (string, string)[] files)
    {
        var all = files.Append(("deploy/k8s/billing.yaml", Deployment("billing", image, provided, command))).ToArray();
        var found = Scan.Files(all).Of(Id).ToList();
        return (found.FirstOrDefault(), found.Count);
    }

    private static void FailsWithTieAndTwinPasses(string tieEvidence, string image, (string, string)[] files, string command = "", Severity severity = Severity.Error)
    {
        var (f, _) = Run(false, image, command, files);
        f.Should().NotBeNull("the app's container lacks QUEUE_URL");
        f!.Message.Should().Contain("QUEUE_URL").And.Contain(tieEvidence);
        f.Severity.Should().Be(severity);
        Run(true, image, command, files).Count.Should().Be(0, "the twin gives the container QUEUE_URL");
    }

    private const string Registry = "111122223333.dkr.ecr.eu-west-1.amazonaws.com";

    [Fact]
    public void Shell_loop_over_services_with_variables_ties_each_folder()
    {
        var script = "#!/bin/sh\nREG=111122223333.dkr.ecr.eu-west-1.amazonaws.com\nTAG=$(git rev-parse --short HEAD)\nfor svc in billing ledger; do\n  docker build -t \"$REG/$svc:$TAG\" \"../platform/$svc\"\ndone\n";
        (string, string)[] files = [("tools/release.sh", script), ("platform/billing/index.js", NodeApp), ("platform/billing/Dockerfile", "FROM node:20\n"),
            ("platform/ledger/Dockerfile", "FROM node:20\n")];
        FailsWithTieAndTwinPasses("tools/release.sh:5 builds platform/billing/ ($svc = billing)", $"{Registry}/billing:abc", files);
    }

    [Fact]
    public void A_loop_that_does_not_list_the_folder_does_not_tie_it()
    {
        static string Script(string services) => $"for svc in {services}; do\n  docker build -t \"acme/shop-$svc\" \"platform/$svc\"\ndone\n";
        (string, string)[] app = [("platform/billing/index.js", NodeApp), ("platform/billing/Dockerfile", "FROM node:20\n")];
        Run(false, "acme/shop-billing:1", "", [.. app, ("build.sh", Script("ledger"))]).Count.Should().Be(0, "the loop builds ledger only");
        Run(false, "acme/shop-billing:1", "", [.. app, ("build.sh", Script("ledger billing"))]).Count.Should().Be(1);
    }

    [Fact]
    public void Makefile_pattern_rule_ties_by_its_stem()
    {
        var make = "REGISTRY ?= 111122223333.dkr.ecr.eu-west-1.amazonaws.com\nSERVICES := billing ledger\n\nbuild-%:\n\tdocker build -t $(REGISTRY)/shop-$*:latest -f services/$*/Containerfile .\n";
        (string, string)[] files = [("Makefile", make), ("services/billing/main.ts", NodeApp), ("services/billing/Containerfile", "FROM node:20\n")];
        FailsWithTieAndTwinPasses("builds services/billing/ (Make's $* = billing)", $"{Registry}/shop-billing:latest", files);
    }

    [Fact]
    public void GitHub_matrix_service_ties_the_folder_it_names()
    {
        var workflow = """
            name: images
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    service: [billing, ledger]
                steps:
                  - uses: actions/checkout@v4
                  - uses: docker/build-push-action@v6
                    with:
                      context: apps/${{ matrix.service }}
                      push: true
                      tags: ${{ secrets.REGISTRY }}/${{ matrix.service }}:${{ github.sha }}
            """;
        (string, string)[] files = [(".github/workflows/images.yml", workflow), ("apps/billing/server.js", NodeApp), ("apps/billing/package.json", "{\"name\":\"@acme/api\"}")];
        FailsWithTieAndTwinPasses("builds apps/billing/ (${{ matrix.service }} = billing)", $"{Registry}/billing:1", files);
    }

    [Fact]
    public void Skaffold_artifact_ties_its_context()
    {
        var skaffold = "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: shop-payments\n      context: src/payments-api\n      docker:\n        dockerfile: Dockerfile\n";
        (string, string)[] files = [("skaffold.yaml", skaffold), ("src/payments-api/app.js", NodeApp), ("src/payments-api/Dockerfile", "FROM node:20\n")];
        FailsWithTieAndTwinPasses("skaffold artifact `image: shop-payments`", "shop-payments", files);
    }

    [Fact]
    public void Tiltfile_docker_build_ties_its_context()
    {
        var tilt = "docker_build('acme/checkout-web', './frontend/srv', dockerfile='./frontend/srv/Dockerfile')\nk8s_yaml('deploy/k8s/billing.yaml')\n";
        (string, string)[] files = [("Tiltfile", tilt), ("frontend/srv/main.js", NodeApp), ("frontend/srv/Dockerfile", "FROM node:20\n")];
        FailsWithTieAndTwinPasses("docker_build('acme/checkout-web', './frontend/srv')", "acme/checkout-web:dev", files);
    }

    [Fact]
    public void Buildx_bake_targets_in_hcl_and_json_tie_their_context()
    {
        var hcl = "variable \"TAG\" { default = \"latest\" }\ngroup \"default\" { targets = [\"gateway\"] }\ntarget \"gateway\" {\n  context = \"./edge/gw\"\n  tags = [\"${REGISTRY}/edge-gateway:${TAG}\"]\n}\n";
        (string, string)[] h = [("docker-bake.hcl", hcl), ("edge/gw/index.js", NodeApp), ("edge/gw/Dockerfile", "FROM node:20\n")];
        FailsWithTieAndTwinPasses("bake target \"gateway\"", $"{Registry}/edge-gateway:1", h);

        var json = "{ \"target\": { \"gateway\": { \"context\": \"edge/gw\", \"tags\": [\"acme/edge-gateway:1\"] } } }";
        (string, string)[] j = [("docker-bake.json", json), ("edge/gw/index.js", NodeApp), ("edge/gw/Dockerfile", "FROM node:20\n")];
        FailsWithTieAndTwinPasses("bake target \"gateway\"", "acme/edge-gateway:1", j);
    }

    [Fact]
    public void Manifest_names_tie_folders_without_a_dockerfile()
    {
        (string, string)[] py = [("backend/pyproject.toml", "[project]\nname = \"billing_api\"\nversion = \"1\"\n"), ("backend/billing_api/main.py", PyApp)];
        FailsWithTieAndTwinPasses("pyproject.toml name of backend/", $"{Registry}/billing-api:3", py);

        (string, string)[] cfg = [("backend/setup.cfg", "[metadata]\nname = invoicer\n"), ("backend/invoicer.py", PyApp)];
        FailsWithTieAndTwinPasses("setup.cfg name of backend/", $"{Registry}/invoicer:3", cfg);

        var goApp = "package main\nimport (\"log\"; \"os\")\nfunc main() {\n\tif os.Getenv(\"QUEUE_URL\") == \"\" {\n\t\tlog.Fatal(\"QUEUE_URL\")\n\t}\n}\n";
        (string, string)[] go = [("cmd/go.mod", "module github.com/acme/ledger-svc/v2\n\ngo 1.22\n"), ("cmd/main.go", goApp)];
        FailsWithTieAndTwinPasses("go.mod name of cmd/", $"{Registry}/ledger-svc:3", go);

        var csApp = "var q = Environment.GetEnvironmentVariable(\"QUEUE_URL\") ?? throw new InvalidOperationException(\"QUEUE_URL\");\n";
        (string, string)[] cs = [("src/Acme.Ledger/Acme.Ledger.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><AssemblyName>ledger</AssemblyName></PropertyGroup></Project>"),
            ("src/Acme.Ledger/Program.cs", csApp)];
        FailsWithTieAndTwinPasses("Acme.Ledger.csproj name of src/Acme.Ledger/", $"{Registry}/ledger:3", cs);
    }

    [Fact]
    public void Python_app_with_only_requirements_ties_by_folder_name()
    {
        (string, string)[] files = [("services/billing/requirements.txt", "fastapi\nuvicorn\n"), ("services/billing/app.py", PyApp), ("Dockerfile.billing", "FROM python:3.12\nCOPY services/billing /app\n")];
        FailsWithTieAndTwinPasses("name of folder services/billing/", $"{Registry}/billing:7", files);
    }

    [Fact]
    public void A_framework_folder_without_any_manifest_ties_by_name()
    {
        (string, string)[] files = [("requirements.txt", "fastapi\n"), ("Dockerfile", "FROM python:3.12\nARG SERVICE\nCOPY ${SERVICE} /app\n"), ("billing/api.py", PyApp), ("docs/billing.md", "")];
        FailsWithTieAndTwinPasses("a FastAPI app: billing/api.py imports it", $"{Registry}/billing:7", files);
    }

    [Fact]
    public void Command_entry_points_tie_the_one_folder_that_holds_them()
    {
        (string, string)[] files = [("svc/a/requirements.txt", "fastapi\n"), ("svc/a/orders/main.py", PyApp), ("svc/b/requirements.txt", "flask\n"), ("svc/b/worker.py", "print(1)\n")];
        var uvicorn = "          command: [\"uvicorn\", \"orders.main:app\", \"--host\", \"0.0.0.0\"]";
        FailsWithTieAndTwinPasses("command `uvicorn orders.main:app` names svc/a/orders/main.py", $"{Registry}/platform:7", files, uvicorn);

        var node = "          command: [\"node\", \"dist/main.js\"]";
        (string, string)[] js = [("svc/a/package.json", "{\"name\":\"x\"}"), ("svc/a/src/main.ts", NodeApp), ("svc/b/package.json", "{\"name\":\"y\"}")];
        FailsWithTieAndTwinPasses("(a generic entry point name)", $"{Registry}/platform:7", js, node, Severity.Warning);

        var module = "          args: [\"python\", \"-m\", \"orders\"]";
        (string, string)[] m = [("svc/a/requirements.txt", "x\n"), ("svc/a/orders/__main__.py", PyApp), ("svc/b/requirements.txt", "y\n")];
        FailsWithTieAndTwinPasses("command `python -m orders`", $"{Registry}/platform:7", m, module);
    }

    [Fact]
    public void The_env_contract_ties_an_untied_app_to_the_one_image_that_gets_its_variables_at_warning()
    {
        var app = "const need = ['DB_HOST', 'DB_USER'];\nif (!process.env.DB_HOST) throw new Error('DB_HOST');\nif (!process.env.DB_USER) throw new Error('DB_USER');\n" + NodeApp;
        var env = "                    - name: DB_HOST\n                      value: db\n                    - name: DB_USER\n                      value: app\n";
        string Deploy(bool provided) => Deployment("billing", $"{Registry}/opaque-name:1", provided).Replace("          env:\n", "          env:\n" + env.Replace("                    ", "            "));
        var fail = Scan.Files(("code/srv/package.json", "{\"name\":\"web\"}"), ("code/srv/index.js", app), ("k8s.yaml", Deploy(false))).Of(Id).ToList();
        var f = fail.Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Message.Should().Contain("its env contract").And.Contain("QUEUE_URL").And.Contain("2 of the 3");
        Scan.Files(("code/srv/package.json", "{\"name\":\"web\"}"), ("code/srv/index.js", app), ("k8s.yaml", Deploy(true))).Of(Id).Should().BeEmpty();
        // Two images that both get the variables: the contract does not say which one runs the app.
        Scan.Files(("code/srv/package.json", "{\"name\":\"web\"}"), ("code/srv/index.js", app), ("k8s.yaml", Deploy(false)),
            ("k8s2.yaml", Deploy(false).Replace("opaque-name", "other-name").Replace("name: billing", "name: billing2"))).Of(Id).Should().BeEmpty();
    }
}
