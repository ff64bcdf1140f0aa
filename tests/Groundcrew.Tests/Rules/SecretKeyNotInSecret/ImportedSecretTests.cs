using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.SecretKeyNotInSecret;

/// <summary>The secret JSON is parsed in one module and its keys read in another that imports it (Python and JS/TS).</summary>
public class ImportedSecretTests
{
    private const string Id = "secret-key-not-in-secret";

    private static string Task(string family) => $$"""
        { "family": "{{family}}", "executionRoleArn": "arn:aws:iam::444455556666:role/exec",
          "containerDefinitions": [ { "name": "{{family}}", "image": "444455556666.dkr.ecr.eu-west-1.amazonaws.com/{{family}}:4", "essential": true,
          "secrets": [ { "name": "DB_SECRET", "valueFrom": "arn:aws:secretsmanager:eu-west-1:444455556666:secret:rds!db-0a1b2c3d-4e5f-Q1w2E3" } ] } ] }
        """;

    [Fact]
    public void Python_module_importing_the_parsed_secret_reads_a_key_it_lacks()
    {
        (string, string)[] settings = [("api/requirements.txt", "fastapi\n"), ("api/app/core/settings.py", "import json, os\n\ncreds = json.loads(os.environ[\"DB_SECRET\"])\n")];
        string Db(string key) => $"from app.core.settings import creds as c\n\nurl = f\"postgresql://{{c['username']}}@{{c['{key}']}}/shop\"\n";
        var f = Scan.Files([.. settings, ("api/app/db.py", Db("host")), ("ops/ecs/api.json", Task("api"))]).Of(Id).Should().ContainSingle().Subject;
        f.Span.File.Should().Be("api/app/db.py");
        f.Message.Should().Contain("key `host`");
        Scan.Files([.. settings, ("api/app/db.py", Db("password")), ("ops/ecs/api.json", Task("api"))]).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Ts_module_importing_the_parsed_secret_reads_a_key_it_lacks()
    {
        (string, string)[] secret = [("web/package.json", "{\"name\":\"web\"}"), ("web/src/lib/secret.ts", "export const creds = JSON.parse(process.env.DB_SECRET!);\n")];
        string Db(string key) => $"import {{ creds }} from './lib/secret';\nexport const pool = connect({{ host: creds.{key}, user: creds.username }});\n";
        Scan.Files([.. secret, ("web/src/db.ts", Db("host")), ("ops/ecs/web.json", Task("web"))]).Of(Id).Should().ContainSingle()
            .Which.Span.File.Should().Be("web/src/db.ts");
        Scan.Files([.. secret, ("web/src/db.ts", Db("password")), ("ops/ecs/web.json", Task("web"))]).Of(Id).Should().BeEmpty();
    }
}
