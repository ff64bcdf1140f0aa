using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.SecretKeyNotInSecret;

public class SecretKeyNotInSecretTests
{
    private const string Id = "secret-key-not-in-secret";
    private const string Rds = "arn:aws:secretsmanager:us-east-1:305032652600:secret:rds!db-4f6a2b1c-9d3e-4c7a-8b1f-2e5d6c7a8b9c-Xy7Kq2";
    private const string Dockerfile = "FROM python:3.12-slim\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";

    private static string TaskDefinition(string secrets, string environment = "", string image = "backend") => $$"""
        {
          "family": "backend",
          "containerDefinitions": [
            {
              "name": "backend",
              "image": "305032652600.dkr.ecr.us-east-1.amazonaws.com/{{image}}:1.0",
              "secrets": [{{secrets}}],
              "environment": [{{environment}}]
            }
          ]
        }
        """;

    private static string Secret(string name, string valueFrom) => $$"""{ "name": "{{name}}", "valueFrom": "{{valueFrom}}" }""";

    [Fact]
    public void Reading_host_from_an_rds_managed_secret_names_the_key_the_secret_and_its_keys_at_the_code_line()
    {
        var r = Scan.Files(("backend/Dockerfile", Dockerfile),
            ("backend/main.py", "import json, os\nsecret = json.loads(os.environ['DB'])\nuser = secret['username']\nhost = secret['host']\n"),
            ("ecs/backend.json", TaskDefinition(Secret("DB", Rds))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        (f.Span.File, f.Span.StartLine).Should().Be(("backend/main.py", 4));
        f.Message.Should().Contain("`host`").And.Contain("rds!db-4f6a2b1c").And.Contain("`username`, `password`").And.Contain("KeyError: 'host'")
            .And.Contain("container 'backend'");
        f.Related.Should().ContainSingle(x => x.Span.File == "ecs/backend.json" && x.Span.StartLine == 7);
    }

    [Fact]
    public void A_valueFrom_with_a_json_key_or_a_secret_with_unknown_keys_or_an_ssm_parameter_is_not_judged()
    {
        var code = "import json, os\nfor v in ('A', 'B', 'C'):\n    pass\na = json.loads(os.environ['A'])['host']\nb = json.loads(os.environ['B'])['host']\nc = json.loads(os.environ['C'])['host']\n";
        var secrets = string.Join(", ", Secret("A", Rds + ":password::"),
            Secret("B", "arn:aws:secretsmanager:us-east-1:305032652600:secret:backend/db-AbCdEf"),
            Secret("C", "arn:aws:ssm:us-east-1:305032652600:parameter/rds!db-credentials"));
        Scan.Files(("backend/Dockerfile", Dockerfile), ("backend/main.py", code), ("ecs/backend.json", TaskDefinition(secrets)))
            .Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_secret_arn_in_a_plain_environment_variable_is_the_secret_get_secret_value_fetches()
    {
        var code = "import json, os, boto3\nr = boto3.client('secretsmanager').get_secret_value(SecretId=os.environ['DB_ARN'])\ns = json.loads(r['SecretString'])\nprint(s['port'])\n";
        var r = Scan.Files(("backend/Dockerfile", Dockerfile), ("backend/main.py", code),
            ("ecs/backend.json", TaskDefinition("", $$"""{ "name": "DB_ARN", "value": "{{Rds}}" }""")));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        (f.Span.File, f.Span.StartLine).Should().Be(("backend/main.py", 4));
        f.Message.Should().Contain("fetches the secret named by DB_ARN");
        r.Of("secret-value-used-as-secret-id").Should().BeEmpty("an ARN in a plain variable is what GetSecretValue wants");
    }

    [Fact]
    public void An_app_run_by_several_task_definitions_is_reported_once_per_line()
    {
        var code = "import json, os\nsecret = json.loads(os.environ['DB'])\nhost = secret['host']\n";
        var r = Scan.Files(("backend/Dockerfile", Dockerfile), ("backend/main.py", code),
            ("ecs/prod.json", TaskDefinition(Secret("DB", Rds))), ("ecs/dev.json", TaskDefinition(Secret("DB", Rds)).Replace("\"backend\",", "\"backend-dev\",")));
        r.Of(Id).Should().ContainSingle();
    }

    [Fact]
    public void A_kubernetes_secret_holding_json_has_that_jsons_keys()
    {
        var manifests = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: web, namespace: shop }
            spec:
              selector: { matchLabels: { app: web } }
              template:
                metadata: { labels: { app: web } }
                spec:
                  containers:
                    - name: web
                      image: web:2.0
                      env:
                        - name: DB
                          valueFrom: { secretKeyRef: { name: web-db, key: db.json } }
            ---
            apiVersion: v1
            kind: Secret
            metadata: { name: web-db, namespace: shop }
            data:
              db.json: eyJ1c2VyIjogIndlYiIsICJob3N0IjogImRiIn0=
            """; // {"user": "web", "host": "db"}
        var code = "const db = JSON.parse(process.env.DB);\nexport const a = [db.user, db.host, db.password];\n";
        var r = Scan.Files(("web/package.json", "{\"name\":\"web\"}"), ("web/src/db.js", code), ("k8s/web.yaml", manifests));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        (f.Span.File, f.Span.StartLine, f.Span.StartColumn).Should().Be(("web/src/db.js", 2, 40));
        f.Message.Should().Contain("`password`").And.Contain("`user`, `host`").And.Contain("undefined");
        f.Related.Should().Contain(x => x.Span.File == "k8s/web.yaml" && x.Span.StartLine == 20);
    }
}

public class SecretKeyNotInSecretTerraformTests
{
    private const string Id = "secret-key-not-in-secret";

    private const string Infra = """
        resource "random_password" "db" {
          length = 32
        }
        resource "aws_db_instance" "main" {
          identifier                  = "orders"
          manage_master_user_password = true
        }
        resource "aws_secretsmanager_secret" "app" {
          name = "orders/app-db"
        }
        resource "aws_secretsmanager_secret_version" "app" {
          secret_id = aws_secretsmanager_secret.app.id
          secret_string = jsonencode({
            username = "orders"
            password = random_password.db.result
            host     = aws_db_instance.main.address
          })
        }
        resource "aws_ecs_task_definition" "orders" {
          family = "orders"
          container_definitions = jsonencode([{
            name  = "orders"
            image = "orders:1.0"
            secrets = [
              { name = "MASTER", valueFrom = aws_db_instance.main.master_user_secret[0].secret_arn },
              { name = "APP", valueFrom = aws_secretsmanager_secret.app.arn },
              { name = "APP_HOST", valueFrom = "${aws_secretsmanager_secret.app.arn}:host::" },
            ]
          }])
        }
        """;

    private const string Code = """
        import json, os
        master = json.loads(os.environ["MASTER"])
        app = json.loads(os.environ["APP"])
        host_only = json.loads(os.environ["APP_HOST"])
        print(master["username"], master["host"])
        print(app["username"], app["host"], app["dbname"])
        print(host_only["host"])
        """;

    [Fact]
    public void Terraform_references_to_a_managed_master_user_secret_and_to_a_jsonencoded_secret_version_give_their_keys()
    {
        var r = Scan.Files(("orders/Dockerfile", "FROM python:3.12-slim\nCOPY . .\n"), ("orders/main.py", Code), ("infra/main.tf", Infra));
        var findings = r.Of(Id).OrderBy(f => f.Span.StartLine).ThenBy(f => f.Span.StartColumn).ToList();
        findings.Select(f => (f.Span.File, f.Span.StartLine)).Should().Equal(("orders/main.py", 5), ("orders/main.py", 6));
        findings[0].Message.Should().Contain("`host`").And.Contain("aws_db_instance.main").And.Contain("`username`, `password`");
        findings[0].Related.Should().Contain(x => x.Span.File == "infra/main.tf" && x.Span.StartLine == 6, "manage_master_user_password is where the keys come from");
        findings[1].Message.Should().Contain("`dbname`").And.Contain("`host`, `password`, `username`").And.Contain("orders/app-db");
        findings[1].Related.Should().Contain(x => x.Span.File == "infra/main.tf" && x.Span.StartLine == 13);
    }
}
