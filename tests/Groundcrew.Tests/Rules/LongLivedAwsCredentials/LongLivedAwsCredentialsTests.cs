using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.LongLivedAwsCredentials;

public class LongLivedAwsCredentialsTests
{
    private const string Id = "long-lived-aws-credentials";

    private static string Deployment(string envBlock) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          template:
            spec:
              containers:
                - name: api
                  image: ghcr.io/acme/api:1.0.0
        {{envBlock}}
        """;

    [Fact]
    public void A_literal_session_token_is_reported_with_its_expiry_and_redacted()
    {
        var result = Scan.Files(("d.yaml", Deployment("""
                      env:
                        - name: AWS_SESSION_TOKEN
                          value: IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD
            """)));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("expires").And.Contain("IRSA").And.NotContain("IQoJb3JpZ2lu");
        result.Redactor.Scrub("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD").Should().NotContain("IQoJ");
    }

    [Fact]
    public void EnvFrom_with_a_prefix_is_matched_against_the_secret_keys()
    {
        var result = Scan.Files(("s.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds}
            stringData: {ACCESS_KEY_ID: a, SECRET_ACCESS_KEY: b}
            """), ("d.yaml", Deployment("""
                      envFrom:
                        - prefix: AWS_
                          secretRef: {name: creds}
            """)));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY");
        f.Related.Should().ContainSingle().Which.Span.File.Should().Be("s.yaml");
    }

    [Fact]
    public void EnvFrom_a_secret_without_aws_keys_or_not_scanned_is_not_reported()
    {
        var result = Scan.Files(("s.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds}
            stringData: {DB_PASSWORD: a}
            """), ("d.yaml", Deployment("""
                      envFrom:
                        - secretRef: {name: creds}
                        - secretRef: {name: elsewhere}
            """)));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Keys_for_a_non_aws_s3_endpoint_are_not_aws_credentials()
    {
        var result = Scan.Files(("d.yaml", Deployment("""
                      env:
                        - name: STORAGE_ENDPOINT
                          value: http://minio.storage.svc:9000
                        - name: AWS_ACCESS_KEY_ID
                          value: uploads
            """)));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Ecs_environment_literals_and_secrets_are_reported_with_the_task_role_fix()
    {
        var result = Scan.Files(("td.json", """
            {"family": "jobs", "containerDefinitions": [{"name": "jobs", "image": "nginx:1.25",
              "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": "AKIAZQ8KL2PV9WXY7QP2"}, {"name": "AWS_REGION", "value": "us-east-1"}],
              "secrets": [{"name": "AWS_SECRET_ACCESS_KEY", "valueFrom": "arn:aws:ssm:us-east-1:932100697590:parameter/k"}]}]}
            """));
        var findings = result.Of(Id).ToList();
        findings.Should().HaveCount(2);
        findings.Should().AllSatisfy(f => f.Message.Should().Contain("taskRoleArn"));
        findings.Should().AllSatisfy(f => f.Message.Should().NotContain("AKIAZQ8KL2PV9WXY7QP2"));
        result.Of("plaintext-credential").Should().BeEmpty("the AWS key variable is reported once, here");
    }

    [Fact]
    public void Empty_values_and_references_are_not_reported()
    {
        var result = Scan.Files(("d.yaml", Deployment("""
                      env:
                        - name: AWS_ACCESS_KEY_ID
                          value: ""
                        - name: AWS_SECRET_ACCESS_KEY
                          value: $(FROM_OTHER)
            """)));
        result.Of(Id).Should().BeEmpty();
    }
}
