using FluentAssertions;
using Groundcrew.Load.AppCode;
using Xunit;

namespace Groundcrew.Tests.AppCode;

public class SecretFlowTests
{
    private static SecretUses Py(string code) => PythonSecretFlow.Extract(code, "app/db.py");
    private static SecretUses Js(string code) => JsSecretFlow.Extract(code, "src/db.ts");

    private static IEnumerable<(string Env, SecretOrigin Origin, string Key, int Line)> Keys(SecretUses u) =>
        u.KeyReads.Select(k => (k.Source.EnvName, k.Source.Origin, k.Key, k.Span.StartLine));

    // --- Python ---

    [Fact]
    public void Python_json_of_an_env_value_then_indexed_and_get_without_default()
    {
        var u = Py("""
            import json, os
            secret = json.loads(os.environ["DB"])
            host = secret["host"]
            name = secret.get("dbname")
            port = secret.get("port", 5432)
            secret["extra"] = 1
            """);
        Keys(u).Should().Equal(("DB", SecretOrigin.EnvValue, "host", 3), ("DB", SecretOrigin.EnvValue, "dbname", 4));
        u.IdCalls.Should().BeEmpty();
    }

    [Fact]
    public void Python_the_seed_code_get_secret_value_with_the_env_value_as_id_then_keys_of_its_secret_string()
    {
        var u = Py("""
            DATABASE_URL_SECRET = os.getenv("DATABASE_URL", "")
            response = secrets_client.get_secret_value(SecretId=DATABASE_URL_SECRET)  # WRONG
            secret = json.loads(response['SecretString'])
            conn = psycopg2.connect(
                host=secret['host'],
                database=secret['dbname'],
                port=secret.get('port', 5432)
            )
            """);
        u.IdCalls.Should().ContainSingle().Which.Should().Match<SecretIdFromEnv>(c => c.EnvName == "DATABASE_URL" && c.Span.StartLine == 2 && c.Span.StartColumn == 44);
        Keys(u).Should().Equal(("DATABASE_URL", SecretOrigin.FetchedByEnvId, "host", 5), ("DATABASE_URL", SecretOrigin.FetchedByEnvId, "dbname", 6));
    }

    [Fact]
    public void Python_a_function_returning_the_json_passes_it_to_callers_and_self_attributes_stay_in_their_class()
    {
        var u = Py("""
            def load():
                r = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["ARN"])
                return json.loads(r["SecretString"])

            class Db:
                def __init__(self):
                    self.creds = json.loads(os.environ["CREDS"])

                def url(self):
                    return self.creds["host"]

            def other():
                return load()["host"]
            """);
        Keys(u).Should().BeEquivalentTo([("CREDS", SecretOrigin.EnvValue, "host", 10), ("ARN", SecretOrigin.FetchedByEnvId, "host", 13)]);
    }

    [Fact]
    public void Python_a_parameter_or_a_reassignment_hides_the_secret()
    {
        var u = Py("""
            secret = json.loads(os.environ["DB"])

            def connect(secret):
                return secret["host"]

            def reset():
                secret = {"host": "localhost"}
                return secret["host"]

            secret = load_from_file()
            print(secret["host"])
            """);
        u.KeyReads.Should().BeEmpty();
    }

    [Fact]
    public void Fallbacks_and_tests_of_a_key_are_not_reads_the_code_depends_on()
    {
        Py("""
            s = json.loads(os.environ["DB"])
            host = s.get("host") or os.environ["DB_HOST"]
            if s.get("port"):
                pass
            if s.get("dbname") is None:
                pass
            """).KeyReads.Should().BeEmpty();
        Js("""
            const s = JSON.parse(process.env.DB);
            const host = s.host ?? process.env.DB_HOST;
            const port = s["port"] || 5432;
            const ssl = s.ssl ? true : false;
            """).KeyReads.Should().BeEmpty();
    }

    [Fact]
    public void Python_unrelated_json_and_non_env_ids_are_not_followed()
    {
        var u = Py("""
            data = json.loads(request.body)
            data["host"]
            client.get_secret_value(SecretId="prod/db")
            client.get_secret_value(SecretId=settings.secret_arn)
            """);
        u.KeyReads.Should().BeEmpty();
        u.IdCalls.Should().BeEmpty();
    }

    // --- JavaScript / TypeScript ---

    [Fact]
    public void Js_parse_of_an_env_value_then_members_brackets_and_destructuring_without_defaults()
    {
        var u = Js("""
            const cfg = JSON.parse(process.env.DB_CONFIG!);
            const { host, port = 5432, user: dbUser, ...rest } = cfg;
            export const pool = new Pool({ database: cfg.dbname, password: cfg["password"], ssl: cfg?.ssl });
            cfg.extra = 1;
            """);
        Keys(u).Should().Equal(("DB_CONFIG", SecretOrigin.EnvValue, "host", 2), ("DB_CONFIG", SecretOrigin.EnvValue, "user", 2),
            ("DB_CONFIG", SecretOrigin.EnvValue, "dbname", 3), ("DB_CONFIG", SecretOrigin.EnvValue, "password", 3), ("DB_CONFIG", SecretOrigin.EnvValue, "ssl", 3));
    }

    [Fact]
    public void Js_sdk_v3_command_sent_then_secret_string_parsed()
    {
        var u = Js("""
            const client = new SecretsManagerClient({});
            export async function creds() {
              const cmd = new GetSecretValueCommand({ SecretId: process.env.DB_SECRET });
              const { SecretString } = await client.send(cmd);
              const secret = JSON.parse(SecretString as string);
              return { host: secret.host, user: secret.username };
            }
            """);
        u.IdCalls.Should().ContainSingle().Which.Should().Match<SecretIdFromEnv>(c => c.EnvName == "DB_SECRET" && c.Span.StartLine == 3 && c.Api.Contains("v3"));
        Keys(u).Should().Equal(("DB_SECRET", SecretOrigin.FetchedByEnvId, "host", 6), ("DB_SECRET", SecretOrigin.FetchedByEnvId, "username", 6));
    }

    [Fact]
    public void Js_sdk_v2_get_secret_value_promise_and_a_function_returning_the_json()
    {
        var u = Js("""
            const id = process.env.SECRET_ARN;
            async function load() {
              const res = await sm.getSecretValue({ SecretId: id }).promise();
              return JSON.parse(res.SecretString);
            }
            export const url = async () => (await load()).host;
            """);
        u.IdCalls.Should().ContainSingle(c => c.EnvName == "SECRET_ARN" && c.Api.Contains("v2"));
        Keys(u).Should().Equal(("SECRET_ARN", SecretOrigin.FetchedByEnvId, "host", 6));
    }

    [Fact]
    public void Js_block_scoped_names_and_unrelated_parses_are_not_followed()
    {
        var u = Js("""
            function a() { const s = JSON.parse(process.env.S); return 1; }
            function b(s) { return s.host; }
            const body = JSON.parse(req.body);
            body.host;
            new GetSecretValueCommand({ SecretId: "prod/db" });
            """);
        u.KeyReads.Should().BeEmpty();
        u.IdCalls.Should().BeEmpty();
    }
}

public class CFamilySecretIdTests
{
    [Fact]
    public void CSharp_request_initializer_with_an_env_read_directly_or_through_a_local()
    {
        var u = CFamilySecretIds.Extract("""
            var id = Environment.GetEnvironmentVariable("DB_SECRET");
            var a = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = id });
            var b = await client.GetSecretValueAsync(new GetSecretValueRequest
            {
                VersionStage = "AWSCURRENT",
                SecretId = Environment.GetEnvironmentVariable("OTHER")!,
            });
            var c = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "prod/db" });
            """, "Api/Secrets.cs", CodeDialect.CSharp);
        u.IdCalls.Select(c => (c.EnvName, c.Span.StartLine)).Should().Equal(("DB_SECRET", 2), ("OTHER", 6));
    }

    [Fact]
    public void Go_input_literal_with_aws_string_of_an_env_read_or_a_pointer_to_a_local()
    {
        var u = CFamilySecretIds.Extract("""
            id := os.Getenv("DB_SECRET")
            out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
            out2, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
                SecretId: aws.String(os.Getenv("OTHER")),
            })
            name := "prod/db"
            out3, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &name})
            """, "main.go", CodeDialect.Go);
        u.IdCalls.Select(c => (c.EnvName, c.Span.StartLine)).Should().Equal(("DB_SECRET", 2), ("OTHER", 4));
    }
}
