using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.SecretValueUsedAsSecretId;

public class SecretValueUsedAsSecretIdTests
{
    private const string Id = "secret-value-used-as-secret-id";

    private static string TaskDefinition(string secrets, string environment = "") => $$"""
        {
          "family": "api",
          "containerDefinitions": [
            { "name": "api", "image": "api:1.0", "secrets": [{{secrets}}], "environment": [{{environment}}] }
          ]
        }
        """;

    private const string Code = """
        import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
        const client = new SecretsManagerClient({});
        export const load = () => client.send(new GetSecretValueCommand({
          SecretId: process.env.DB_SECRET,
        }));
        """;

    [Fact]
    public void An_ecs_secret_passed_as_secret_id_is_an_error_at_the_call_with_the_secrets_entry_related()
    {
        var r = Scan.Files(("api/package.json", "{\"name\":\"api\"}"), ("api/src/db.ts", Code),
            ("ecs/api.json", TaskDefinition("""{ "name": "DB_SECRET", "valueFrom": "arn:aws:secretsmanager:us-east-1:305032652600:secret:api/db-AbCdEf" }""")));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        (f.Span.File, f.Span.StartLine).Should().Be(("api/src/db.ts", 4));
        f.Message.Should().Contain("DB_SECRET").And.Contain("`api/db-AbCdEf`").And.Contain("not its ARN");
        f.Related.Should().ContainSingle(x => x.Span.File == "ecs/api.json" && x.Span.StartLine == 4);
    }

    [Theory]
    [InlineData("""{ "name": "OTHER", "valueFrom": "arn:aws:secretsmanager:us-east-1:305032652600:secret:api/db-AbCdEf" }""", """{ "name": "DB_SECRET", "value": "arn:aws:secretsmanager:us-east-1:305032652600:secret:api/db-AbCdEf" }""")]
    [InlineData("""{ "name": "DB_SECRET", "valueFrom": "arn:aws:ssm:us-east-1:305032652600:parameter/api/db-secret-arn" }""", "")]
    [InlineData("""{ "name": "DB_SECRET", "valueFrom": "/api/db-secret-arn" }""", "")]
    public void An_arn_in_a_plain_variable_or_an_ssm_parameter_is_not_reported(string secrets, string environment)
    {
        Scan.Files(("api/package.json", "{\"name\":\"api\"}"), ("api/src/db.ts", Code), ("ecs/api.json", TaskDefinition(secrets, environment)))
            .Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Without_a_tie_between_the_container_and_the_code_nothing_is_said()
    {
        Scan.Files(("api/package.json", "{\"name\":\"billing-api\"}"), ("api/src/db.ts", Code),
            ("ecs/api.json", TaskDefinition("""{ "name": "DB_SECRET", "valueFrom": "arn:aws:secretsmanager:us-east-1:305032652600:secret:api/db-AbCdEf" }""").Replace("api:1.0", "orders:1.0")))
            .Of(Id).Should().BeEmpty();
    }
}
