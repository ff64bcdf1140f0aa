using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PlaintextCredential;

public class PlaintextCredentialTests
{
    private const string Id = "plaintext-credential";

    private static (string, string) Pod(string name, string value) => ("pod.yaml", $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/app:1.0.0
              env:
                - name: {{name}}
                  value: "{{value}}"
        """);

    [Theory]
    [InlineData("DATABASE_URL", "postgres://app:Zq8-kL2pV9@db.internal:5432/app")]
    [InlineData("MONGO_URI", "mongodb+srv://svc:Zq8kL2pV9w@cluster0.mongodb.net/shop")]
    [InlineData("REDIS_URL", "redis://:Zq8kL2pV9w@redis:6379/0")]
    [InlineData("BROKER", "amqp://guest2:Zq8kL2pV9w@rabbitmq:5672/")]
    [InlineData("GITHUB_BOT", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")]
    [InlineData("SLACK_HOOK", "https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/aBcDeFgHiJkLmNoPqRsTuVwX")]
    [InlineData("MAPS", "AIzaSyA1bCdEfGhIjKlMnOpQrStUvWxYz012345")]
    [InlineData("DB_PASSWORD", "Zq8-kL2pV9")]
    [InlineData("spring.datasource.password", "Zq8-kL2pV9")]
    [InlineData("OPENAI_API_KEY", "sk-proj-Zq8kL2pV9wXy7Qp2Zq8kL2pV9wXy7Qp2ab")]
    public void Credentials_in_plain_values_are_reported_and_never_printed(string name, string value)
    {
        var result = Scan.Files(Pod(name, value));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("redacted").And.NotContain(value);
        // Every reporter output passes through the run's redactor: the value must not survive it.
        result.Redactor.Scrub("leak: " + value).Should().NotContain(value);
    }

    [Theory]
    [InlineData("DB_PASSWORD_FILE", "/run/secrets/db")]
    [InlineData("TOKEN_TTL", "3600")]
    [InlineData("PASSWORD_HASHER", "argon2id")]
    [InlineData("SECRET_NAME", "prod/db")]
    [InlineData("API_KEY", "")]
    [InlineData("DB_PASSWORD", "$(DB_PASSWORD_FROM_SECRET)")]
    [InlineData("DATABASE_URL", "postgres://app:${DB_PASSWORD}@db:5432/app")]
    [InlineData("AWS_ACCESS_KEY_EXAMPLE", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("SECRET_ARN", "arn:aws:secretsmanager:us-east-1:932100697590:secret:db-Xy7Qp2")]
    [InlineData("NEXT_PUBLIC_STRIPE_KEY", "pk_live_abc123")]
    [InlineData("HOMEPAGE", "https://user@example.org/")]
    [InlineData("DB_PASSWORD", "<your-db-password>")]
    public void References_descriptions_and_public_values_are_not_credentials(string name, string value)
    {
        Scan.Files(Pod(name, value)).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Public_defaults_are_warnings_and_are_not_registered_for_scrubbing()
    {
        var result = Scan.Files(Pod("MYSQL_PASSWORD", "mysql"));
        result.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning);
        result.Redactor.Scrub("container mysql").Should().Be("container mysql");
    }

    [Fact]
    public void Secret_objects_are_not_judged_but_configmaps_are()
    {
        var result = Scan.Files(("x.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData:
              DB_PASSWORD: Zq8-kL2pV9
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg}
            data:
              DB_PASSWORD: Zq8-kL2pV9
            """));
        result.Of(Id).Should().ContainSingle().Which.Span.StartLine.Should().Be(11);
    }

    [Fact]
    public void Aws_key_variables_are_left_to_long_lived_aws_credentials()
    {
        var result = Scan.Files(Pod("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENGbPxRfiCYzq8kL2pV9wXy"));
        result.Of(Id).Should().BeEmpty();
        result.Of("long-lived-aws-credentials").Should().ContainSingle().Which.Message.Should().NotContain("wJalr");
    }

    [Fact]
    public void A_private_key_in_a_configmap_file_is_reported_without_its_body()
    {
        var result = Scan.Files(("cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ssh}
            data:
              id_rsa: |
                -----BEGIN OPENSSH PRIVATE KEY-----
                b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
                -----END OPENSSH PRIVATE KEY-----
            """));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("private key").And.NotContain("b3BlbnNz");
        var block = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----";
        result.Redactor.Scrub("dump: " + block).Should().NotContain("b3BlbnNz");
    }

    [Theory]
    [InlineData("DB_PASS_BD")]
    [InlineData("DB_PASS_BD_2")]
    [InlineData("DB_PASSWORD_PROD")]
    [InlineData("API_KEY_STAGING")]
    [InlineData("REDIS_PASSWORD_PRIMARY")]
    public void A_credential_word_followed_by_which_copy_it_is_still_names_a_credential(string name) =>
        Scan.Files(Pod(name, "s3cr3t-Value-91")).Of(Id).Should().ContainSingle();

    [Theory]
    [InlineData("PASSWORD_HASHER")]
    [InlineData("DB_PASSWORD_PROD_FILE")]
    [InlineData("TOKEN_TTL")]
    public void A_name_about_the_credential_is_not_one(string name) =>
        Scan.Files(Pod(name, "s3cr3t-Value-91")).Of(Id).Should().BeEmpty();

    [Fact]
    public void A_one_line_env_assignment_inside_a_ConfigMap_value_is_reported()
    {
        var cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\ndata:\n  config: REDIS_PASSWORD=abcd1234\n  other: LOG_LEVEL=debug\n";
        var f = Scan.Files(("cm.yaml", cm)).Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("REDIS_PASSWORD").And.NotContain("abcd1234");
    }
}

public class ConfigFileCredentialTests
{
    [Fact]
    public void Password_lines_in_a_configmap_file_are_reported_at_their_line()
    {
        var result = Scan.Files(("cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app}
            data:
              application.properties: |
                spring.datasource.url=jdbc:postgresql://db:5432/app
                spring.datasource.password=Zq8-kL2pV9
                spring.datasource.password.min-length=8
                app.token=${APP_TOKEN}
                # password=commented-out-example
              config.yaml: |
                db:
                  password: ""
                  passwordFile: /run/secrets/db
                  auth_token:
                    fromEnv: TOKEN
            """));
        var f = result.Of("plaintext-credential").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(7);
        f.Message.Should().Contain("spring.datasource.password").And.NotContain("Zq8-kL2pV9");
    }
}
