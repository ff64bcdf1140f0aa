using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PlaceholderValue;

public class PlaceholderValueTests
{
    private const string Id = "placeholder-value";

    private static string Deployment(string env, string image = "932100697590.dkr.ecr.us-east-1.amazonaws.com/api:1.0", string extra = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          template:
            spec:
              containers:
                - name: api
                  image: {{image}}
        {{extra}}
                  env:
        {{env}}
        """;

    private static string Env(string name, string value) => $"            - name: {name}\n              value: \"{value}\"";

    [Fact]
    public void Account_placeholder_in_an_irsa_annotation_is_reported_with_the_token()
    {
        var result = Scan.Files(("sa.yaml", """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: billing
              annotations:
                eks.amazonaws.com/role-arn: arn:aws:iam::<ACCOUNT_ID>:role/billing
            """));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("<ACCOUNT_ID>").And.Contain("12-digit");
        result.Of("irsa-role-arn-invalid").Should().BeEmpty("placeholders are owned by placeholder-value");
    }

    [Theory]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0", "documentation")]
    [InlineData("ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/api:1.0", "ACCOUNT_ID")]
    [InlineData("AWS_ACCOUNT_ID.dkr.ecr.eu-west-1.amazonaws.com/api:1.0", "AWS_ACCOUNT_ID")]
    public void Placeholder_accounts_in_ecr_hosts_are_reported(string image, string expected)
    {
        var result = Scan.Files(("d.yaml", Deployment(Env("A", "b"), image)));
        result.Of(Id).Should().ContainSingle().Which.Message.Should().Contain(expected);
        result.Of("invalid-image-reference").Should().BeEmpty("the placeholder is reported once, by placeholder-value");
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:932100697590:secret:db/creds-RANDOM", true)]
    [InlineData("arn:aws:secretsmanager:us-east-1:932100697590:secret:db/creds-XXXXXX:password::", true)]
    [InlineData("arn:aws:secretsmanager:us-east-1:932100697590:secret:db/creds-AbCdEf", true)]
    [InlineData("arn:aws:secretsmanager:us-east-1:932100697590:secret:db/creds-??????", true)]
    [InlineData("arn:aws:secretsmanager:us-east-1:932100697590:secret:db/creds-Xy7Qp2", false)]
    [InlineData("arn:aws:secretsmanager:us-east-1:932100697590:secret:db/creds-Xy7Qp2:password::", false)]
    [InlineData("arn:aws:secretsmanager:us-east-1:932100697590:secret:db-creds", false)]
    public void Secrets_manager_suffix_placeholders_are_told_from_real_suffixes(string arn, bool reported)
    {
        var result = Scan.Files(("td.json", $$"""
            {"family": "auth", "containerDefinitions": [{"name": "auth", "image": "nginx:1.25",
              "secrets": [{"name": "TOKEN", "valueFrom": "{{arn}}"}]}]}
            """));
        if (reported) result.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("6 random characters");
        else result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Unsubstituted_variable_in_env_is_reported_and_the_message_says_why()
    {
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("DB_HOST", "${DB_HOST}"))));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("${DB_HOST} is not substituted").And.Contain("no envsubst").And.Contain("$(VAR)");
    }

    [Theory]
    [InlineData("scripts/deploy.sh", "envsubst < k8s/d.yaml | kubectl apply -f -")]
    [InlineData("Makefile", "deploy:\n\tfor f in k8s/*.yaml; do envsubst < $$f | kubectl apply -f -; done")]
    [InlineData(".github/workflows/deploy.yml", "jobs:\n  d:\n    steps:\n      - run: cat d.yaml | envsubst | kubectl apply -f -")]
    public void A_variable_substituted_by_a_repository_script_naming_the_file_or_folder_is_not_reported(string script, string text)
    {
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("DB_HOST", "${DB_HOST}"))), (script, text));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Envsubst_on_another_folder_does_not_excuse_the_variable()
    {
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("DB_HOST", "${DB_HOST}"))), ("deploy.sh", "envsubst < infra/other.yaml > out.yaml"));
        result.Of(Id).Should().ContainSingle();
    }

    [Fact]
    public void A_variable_assigned_by_terraform_or_a_script_is_fed_by_the_repository_tooling()
    {
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("DB_HOST", "${DB_HOST}"))),
            ("infra/outputs.tf", "output \"environment\" {\n  value = {\n    DB_HOST = aws_db_instance.main.address\n  }\n}"));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Shell_commands_dependent_env_and_config_files_are_not_leftovers()
    {
        var env = Env("BASE", "/srv") + "\n" + Env("DATA_DIR", "$(BASE)/data");
        var extra = "          command: [\"sh\", \"-c\", \"exec app --dir ${DATA_DIR}\"]";
        var result = Scan.Files(("d.yaml", Deployment(env, extra: extra)), ("cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: fluent-bit
            data:
              fluent-bit.conf: |
                [OUTPUT]
                    Name cloudwatch_logs
                    region ${AWS_REGION}
              index.html: |
                <html><body><your-name-here-banner></body></html>
            """));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Flux_post_build_substitution_excuses_variables()
    {
        var result = Scan.Files(("d.yaml", Deployment(Env("DB_HOST", "${DB_HOST}"))), ("flux.yaml", """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: apps
            spec:
              path: ./
              postBuild:
                substituteFrom:
                  - kind: ConfigMap
                    name: cluster-vars
            """));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Base64_secret_data_is_decoded_to_check_it_and_the_value_is_not_printed()
    {
        // "CHANGEME" and a real-looking value
        var result = Scan.Files(("s.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: app
            data:
              API_KEY: Q0hBTkdFTUU=
              DB_PASSWORD: bjhWcTItTGszOXNQejBlUQ==
            """));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("CHANGEME").And.Contain("base64-decoded").And.NotContain("Q0hBTkdFTUU=");
    }

    [Theory]
    [InlineData("<your-openai-assistant-id>")]
    [InlineData("REPLACE_ME")]
    [InlineData("your-api-key-here")]
    [InlineData("TODO")]
    [InlineData("https://hooks.example.com/<webhook-id>")]
    public void Placeholder_words_and_angle_placeholders_are_reported(string value)
    {
        Scan.Files(("d.yaml", Deployment(Env("OPENAI_ASSISTANT_ID", value)))).Of(Id).Should().ContainSingle();
    }

    [Theory]
    [InlineData("todo-service.default.svc")]
    [InlineData("<b>bold</b> welcome")]
    [InlineData("xx")]
    [InlineData("arn:aws:iam::aws:policy/ReadOnlyAccess")]
    [InlineData("Use ${} in templates")]
    public void Ordinary_values_are_not_placeholders(string value)
    {
        Scan.Files(("d.yaml", Deployment(Env("SETTING", value)))).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_task_definition_that_is_itself_a_template_is_skipped_and_codepipeline_image_placeholders_are_not_leftovers()
    {
        var result = Scan.Files(
            ("template/td.json", """{"family": "<PLACEHOLDER>", "containerDefinitions": [{"name": "<PLACEHOLDER>", "image": "<PLACEHOLDER>"}]}"""),
            ("bluegreen/taskdef.json", """{"family": "web", "containerDefinitions": [{"name": "web", "image": "<IMAGE1_NAME>"}]}"""));
        result.Of(Id).Should().BeEmpty();
        result.Of("invalid-image-reference").Should().BeEmpty();
    }

    [Fact]
    public void Malformed_shapes_do_not_crash()
    {
        var result = Scan.Files(("odd.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: odd
              annotations: [not, a, map]
            spec:
              template:
                spec:
                  containers:
                    - name: a
                      image: [1, 2]
                      env: {DB_HOST: x}
                    - just-a-string
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            data: {k: "not base64 !!", j: [1]}
            """));
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
    }
    [Theory]
    [InlineData("__BE_IMAGE_PATH__")]
    [InlineData("932100697590.dkr.ecr.us-east-1.amazonaws.com/api:__TAG__")]
    [InlineData("\"#{ImageName}#\"")]
    [InlineData("registry.example.com/api:@VERSION@")]
    public void A_substitution_token_nothing_replaces_is_a_placeholder_not_an_invalid_image(string image)
    {
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("A", "b"), image)));
        result.Of("invalid-image-reference").Should().BeEmpty();
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(10);
        f.Message.Should().Contain("substitution token").And.Contain("nothing in this repository replaces");
    }

    [Fact]
    public void An_unquoted_hash_brace_token_is_not_an_empty_image()
    {
        // YAML reads `#{ImageName}#` as a comment; the replace-tokens step edits the text before it is parsed.
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("A", "b"), "#{ImageName}#")));
        result.Of("invalid-image-reference").Should().BeEmpty();
        Scan.Files(("k8s/d.yaml", Deployment(Env("A", "b"), "# the image"))).Of("invalid-image-reference").Should().ContainSingle();
    }

    [Theory]
    [InlineData(".github/workflows/deploy.yml", "jobs:\n  d:\n    steps:\n      - run: sed -i \"s|__BE_IMAGE_PATH__|$IMAGE|g\" manifests/deploy.yaml")]
    [InlineData("Makefile", "deploy:\n\tsed 's#__BE_IMAGE_PATH__#$(IMG)#' k8s/d.yaml | kubectl apply -f -")]
    [InlineData("azure-pipelines.yml", "steps:\n  - task: qetza.replacetokens.replacetokens-task.replacetokens@6\n    inputs:\n      sources: 'k8s/*.yaml'")]
    [InlineData("scripts/release.sh", "cd k8s && yq -i '.spec.template.spec.containers[0].image = env(IMG)' d.yaml")]
    public void A_substitution_token_the_repository_replaces_is_not_reported(string script, string text)
    {
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("A", "b"), "__BE_IMAGE_PATH__")), (script, text));
        result.Of(Id).Should().BeEmpty();
        result.Of("invalid-image-reference").Should().BeEmpty();
    }

    [Theory]
    [InlineData("__init__")]
    [InlineData("user@example.com")]
    [InlineData("my__app")]
    public void Ordinary_values_with_underscores_or_at_signs_are_not_tokens(string value)
    {
        var result = Scan.Files(("k8s/d.yaml", Deployment(Env("A", value))));
        result.Of(Id).Should().BeEmpty();
    }
}

public class DependentVariableTests
{
    private const string Id = "placeholder-value";

    private static (string, string) Pod(string env, string extra = "") => ("pod.yaml", $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/app:1.0.0
        {extra}
              env:
        {env}
        """);

    [Fact]
    public void A_reference_to_an_undefined_variable_is_reported()
    {
        var f = Scan.Files(Pod("        - name: URL\n          value: http://$(API_HOST):8080")).Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("$(API_HOST) refers to no env var");
    }

    [Fact]
    public void A_reference_to_a_variable_defined_below_is_reported_as_an_ordering_problem()
    {
        var env = "        - name: URL\n          value: http://$(API_HOST):8080\n        - name: API_HOST\n          value: api";
        Scan.Files(Pod(env)).Of(Id).Should().ContainSingle().Which.Message.Should().Contain("defined below");
    }

    [Fact]
    public void Defined_above_envfrom_keys_service_links_and_escapes_are_fine()
    {
        var env = "        - name: API_HOST\n          value: api\n"
                + "        - name: URL\n          value: http://$(API_HOST):$(API_SERVICE_PORT)/$(FROM_CM)/$$(LITERAL)";
        var extra = "      envFrom:\n        - configMapRef: {name: cfg}";
        var result = Scan.Files(Pod(env, extra), ("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {FROM_CM: x}\n"));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void EnvFrom_a_source_we_cannot_list_makes_the_rule_silent()
    {
        var extra = "      envFrom:\n        - secretRef: {name: not-scanned}";
        Scan.Files(Pod("        - name: URL\n          value: http://$(API_HOST)", extra)).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Shell_command_substitution_in_args_is_not_a_reference()
    {
        var extra = "      command: [sh, -c]\n      args: [\"echo $(DATE_NOW) $(hostname)\"]";
        Scan.Files(Pod("        - name: A\n          value: b", extra)).Of(Id).Should().BeEmpty();
    }
}

public class PlaceholderWordCaseTests
{
    [Theory]
    [InlineData("todo", false)]        // the name of countless demo apps and databases
    [InlineData("TODO", true)]
    [InlineData("changeit", false)]    // Java cacerts' real default password
    [InlineData("changeme", true)]
    public void Placeholder_words_that_are_also_real_names_are_judged_by_case(string value, bool placeholder)
    {
        Groundcrew.Rules.Values.Placeholders.WholeValue(value).Should().Match(h => (h != null) == placeholder);
    }

}

public class AnnotationPlaceholderTests
{
    [Fact]
    public void Free_form_annotations_may_say_todo_but_aws_controller_annotations_may_not()
    {
        var result = Scan.Files(("ing.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              annotations:
                description: TODO
                owner: <your-team-name>
                alb.ingress.kubernetes.io/certificate-arn: <your-certificate-arn>
            spec:
              rules: []
            """));
        var f = result.Of("placeholder-value").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(8);
    }

}
