using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.InvalidImageReference;

/// <summary>
/// What public EKS/ECS repositories do that looked like errors: template YAML filled in by a tool, an image token that
/// the repository's own CI replaces, and switches whose names contain PASSWORD. Each has a failing twin.
/// </summary>
public class RealRepositoryShapeTests
{
    private static string Deployment(string image, string env = "") => $$"""
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
                  image: {{image}}
        {{env}}
        """;

    [Theory]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {TENANT_ID}-basic\n", "{TENANT_ID}")]
    [InlineData("apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nspec:\n  configBase: {{{STATE_STORE}}}/{{{CLUSTER_NAME}}}\n", "{{{STATE_STORE}}}")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n{% for k in keys %}\n  {{ k }}: \"1\"\n{% endfor %}\n", "{% for k in keys %}")]
    public void Template_yaml_that_does_not_parse_is_a_note_naming_the_token(string yaml, string token)
    {
        var f = Scan.Files(("tenants/templates-src/tenant.yaml", yaml)).Of("input-error").Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Note);
        f.Message.Should().Contain("template file").And.Contain(token);
    }

    [Fact]
    public void Broken_yaml_without_template_tokens_near_the_error_stays_an_error()
    {
        var yaml = "# image: ${IMAGE}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: 1\n   b: 2\n   c: [\n";
        Scan.Files(("k8s/cm.yaml", yaml)).Of("input-error").Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Theory]
    [InlineData("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - sed -i \"s|CONTAINER_IMAGE|$REPOSITORY_URI:$TAG|g\" deploy/k8s/web.yaml\n")]
    [InlineData(".gitlab-ci.yml", "deploy:\n  script:\n    - sed -i \"s#CONTAINER_IMAGE#${CI_REGISTRY_IMAGE}:${CI_COMMIT_SHA}#\" deploy/k8s/web.yaml\n")]
    [InlineData("Jenkinsfile", "pipeline { stages { stage('deploy') { steps { sh \"sed -i 's|CONTAINER_IMAGE|${env.IMAGE}|' deploy/k8s/web.yaml\" } } } }\n")]
    [InlineData("azure-pipelines.yml", "steps:\n  - powershell: (Get-Content deploy/k8s/web.yaml) -replace 'CONTAINER_IMAGE', '$(image)' | Set-Content deploy/k8s/web.yaml\n")]
    [InlineData(".circleci/config.yml", "jobs:\n  deploy:\n    steps:\n      - run: sed -i \"s|CONTAINER_IMAGE|$IMG|\" deploy/k8s/web.yaml\n")]
    [InlineData("bitbucket-pipelines.yml", "pipelines:\n  default:\n    - step:\n        script:\n          - sed -i \"s|CONTAINER_IMAGE|$REPO:$BITBUCKET_COMMIT|\" deploy/k8s/web.yaml\n")]
    [InlineData("scripts/release.sh", "#!/bin/sh\nyq -i '.spec.template.spec.containers[0].image = strenv(IMG)' deploy/k8s/web.yaml # CONTAINER_IMAGE\n")]
    public void An_image_token_the_ci_replaces_is_not_an_invalid_image(string ciFile, string ci)
    {
        Scan.Files(("deploy/k8s/web.yaml", Deployment("CONTAINER_IMAGE")), (ciFile, ci)).Of("invalid-image-reference").Should().BeEmpty(ciFile);
        Scan.Files(("deploy/k8s/web.yaml", Deployment("CONTAINER_IMAGE")), (ciFile, ci.Replace("CONTAINER_IMAGE", "OTHER_TOKEN")))
            .Of("invalid-image-reference").Should().ContainSingle("nothing replaces CONTAINER_IMAGE");
    }

    [Fact]
    public void Password_switches_and_paths_are_not_credentials_but_a_password_is()
    {
        var env = """
                      env:
                        - { name: MYSQL_ALLOW_EMPTY_PASSWORD, value: "yes" }
                        - { name: MYSQL_RANDOM_ROOT_PASSWORD, value: "1" }
                        - { name: MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, value: "true" }
                        - { name: DB_PASSWORD_FILE, value: /run/secrets/db }
                        - { name: REDIS_PASSWORD_ENABLED, value: "true" }
            """;
        Scan.Files(("k8s/db.yaml", Deployment("mysql:8.4", env))).Of("plaintext-credential").Should().BeEmpty();
        var withPassword = env + "\n            - { name: MYSQL_ROOT_PASSWORD, value: \"k9#Vq2!pLr\" }";
        Scan.Files(("k8s/db.yaml", Deployment("mysql:8.4", withPassword))).Of("plaintext-credential").Should().ContainSingle()
            .Which.Message.Should().Contain("MYSQL_ROOT_PASSWORD");
        var flagWithValue = env.Replace("MYSQL_RANDOM_ROOT_PASSWORD, value: \"1\"", "MYSQL_RANDOM_ROOT_PASSWORD, value: \"k9#Vq2!pLr\"");
        Scan.Files(("k8s/db.yaml", Deployment("mysql:8.4", flagWithValue))).Of("plaintext-credential").Should().ContainSingle("a switch name with a password-like value is still reported");
    }
}
